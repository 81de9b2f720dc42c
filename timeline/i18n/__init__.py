"""Languages: a story's language tag, dates and numbers as each language writes them, translations.

A layer of its own under the data core (``timeline.core`` may import it; it imports nothing of the
package above ``timeline.errors``), so the validator, the views and every wing share one home for
language tags (:mod:`.tags`), calendars (:mod:`.calendars`), CLDR formats (:mod:`.formats`) and the
gettext catalogues (:mod:`.catalogues`).
"""
