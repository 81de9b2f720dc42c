"""Other formats and the web: TimelineJS export and import, HTML to text, source link checks."""
