"""What readers see: the Plotly figure, the story's HTML, the paged list, the outline, the assets.

Built on :mod:`timeline.core`; used by the dashboard (:mod:`timeline.serve`) and by the files
that leave the building (:mod:`timeline.publish`). Heavy dependencies: plotly, jinja2.
"""
