"""The data contract as data: tables, columns and the verdict vocabulary.

Validation, the README, the widgets and the exports all read these tables;
nothing else in the package spells a column name list or a verdict list.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n.markers import N_, NP_


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id | text | date | ref | refs | url | verdict | choice
    required: bool
    help: str
    ref: str | None = None  # table a ref/refs column points to
    #: False: the column may be left out of the header (a column added to the contract
    #: later); when every cell is empty it is not written on save either.
    in_header: bool = True
    choices: tuple[str, ...] = ()  # the allowed values of a ``choice`` column (or empty)


@dataclass(frozen=True)
class Table:
    name: str  # events | claims | sources
    filename: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def header(self) -> list[str]:
        """The columns every file's header must hold (``names`` less those that may be left out)."""
        return [c.name for c in self.columns if c.in_header]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


@dataclass(frozen=True)
class Verdict:
    key: str
    label: str
    meaning: str
    rating: int | None  # ClaimReview ratingValue: 5 best .. 1 worst; None = not rated
    colour: str  # passes WCAG AA as text on white and as a badge with white text
    symbol: str  # Plotly marker symbol, so colour is never the only carrier


VERDICTS: tuple[Verdict, ...] = (
    Verdict(
        "accurate",
        NP_("verdict", "Accurate"),
        NP_("verdict meaning", "The claim matches the verified record."),
        5,
        "#1a7f37",
        "circle",
    ),
    Verdict(
        "needs-context",
        NP_("verdict", "Needs context"),
        NP_(
            "verdict meaning",
            "Accurate as far as it goes, but leaves out something that changes how it reads.",
        ),
        4,
        "#0b5cad",
        "diamond",
    ),
    Verdict(
        "disputed",
        NP_("verdict", "Disputed"),
        NP_(
            "verdict meaning", "Credible sources disagree, or the claim is contested on the record."
        ),
        3,
        "#8a4b00",
        "square",
    ),
    Verdict(
        "unsubstantiated",
        NP_("verdict", "Unsubstantiated"),
        NP_(
            "verdict meaning",
            "No public evidence supports the claim, or it could not be confirmed.",
        ),
        2,
        "#6f42c1",
        "triangle-up",
    ),
    Verdict(
        "inaccurate",
        NP_("verdict", "Inaccurate"),
        NP_("verdict meaning", "The verified record contradicts the claim."),
        1,
        "#b3261e",
        "x",
    ),
    Verdict(
        "not-rated",
        NP_("verdict", "Not rated"),
        NP_("verdict meaning", "An opinion, appeal or prediction: there is nothing to check."),
        None,
        "#57606a",
        "circle-open",
    ),
)
VERDICT_BY_KEY: dict[str, Verdict] = {v.key: v for v in VERDICTS}
NO_CLAIMS = Verdict(
    "no-claims",
    NP_("verdict", "No claims checked"),
    NP_("verdict meaning", "No claim on this event has been checked."),
    None,
    "#57606a",
    "line-ns-open",
)


def verdict_label(key: str) -> str:
    """The reader's label of verdict ``key``; an unknown key as written, an empty one as ``(none)``."""
    key = (key or "").strip()
    v = VERDICT_BY_KEY.get(key)
    return v.label if v else (key or "(none)")


#: ``claimant_type`` values and the schema.org type each gives the claimant in ClaimReview.
CLAIMANT_TYPES: dict[str, str] = {"person": "Person", "organization": "Organization"}
#: The schema.org type of a claimant whose ``claimant_type`` is empty: the supertype of both,
#: which states only what the data says (a name), never a guess.
CLAIMANT_TYPE_UNKNOWN = "Thing"
#: ``headline`` longer than this draws a warning (Google suggests under 75 characters).
HEADLINE_WARN_OVER = 110
#: ``bottom_line`` longer than this is an error: it is the page's social description (Open Graph
#: and Twitter cards show about 200 characters) and one sentence a reader takes in at a glance.
BOTTOM_LINE_MAX = 200
#: bottom_line's help, with its limit as a placeholder (the authoring app says it in the analyst's language).
BOTTOM_LINE_HELP = N_(
    "One sentence, at most %(max)s characters, written by the desk from the "
    "rationale: the answer at a glance, shown under the verdict (claim page, index card, "
    "embed), the page's social description and ClaimReview's `reviewBody`. Empty: the "
    "verdict's meaning is used."
)

EVENTS = Table(
    "events",
    "events.csv",
    (
        Column("id", "id", True, N_("Unique lowercase slug, e.g. `strike-baghdad`.")),
        Column("start", "date", True, N_("When it happened: ISO 8601 at the known precision.")),
        Column("end", "date", False, N_("When it ended, for spans; not before `start`.")),
        Column("display_date", "text", False, N_("Overrides how the date is shown to readers.")),
        Column("title", "text", True, N_("One-line headline.")),
        Column("summary", "text", False, N_("A neutral paragraph; state conflicting reports.")),
        Column(
            "category", "text", True, N_("The lane on the timeline (military, diplomacy, ...).")
        ),
        Column("actors", "list", False, N_("`;`-separated people or bodies involved.")),
        Column("location", "text", False, N_("Where it happened.")),
        Column(
            "sources", "refs", True, N_("`;`-separated source ids; at least one."), ref="sources"
        ),
    ),
)
CLAIMS = Table(
    "claims",
    "claims.csv",
    (
        Column("id", "id", True, N_("Unique lowercase slug.")),
        Column("event_id", "ref", True, N_("The event where the claim was made."), ref="events"),
        Column("claimant", "text", True, N_("Who made the claim.")),
        Column("claim", "text", True, N_("The claim, quoted verbatim.")),
        Column(
            "said_in", "ref", True, N_("The one source where the claim was made."), ref="sources"
        ),
        Column("verdict", "verdict", True, N_("One of the verdicts below.")),
        Column("rationale", "text", True, N_("Why the verdict: the record, with its sources.")),
        Column(
            "evidence",
            "refs",
            False,
            N_("`;`-separated source ids backing the rationale."),
            ref="sources",
        ),
        Column("reviewed", "date", True, N_("When the verdict was last reviewed.")),
        Column(
            "headline",
            "text",
            False,
            N_(
                "A short neutral summary of the claim (under 75 characters suggested; a warning past "
                "110): the claim page's title, the share card and ClaimReview's `claimReviewed`. "
                "Empty: the whole claim is used, never a cut quote."
            ),
            in_header=False,
        ),
        Column(
            "claimant_type",
            "choice",
            False,
            N_(
                "`person` or `organization`: types the claimant in ClaimReview (empty: `Thing`, "
                "the claimant is named without a guessed type)."
            ),
            in_header=False,
            choices=tuple(CLAIMANT_TYPES),
        ),
        Column(
            "bottom_line",
            "text",
            False,
            BOTTOM_LINE_HELP % {"max": BOTTOM_LINE_MAX},
            in_header=False,
        ),
    ),
)
SOURCES = Table(
    "sources",
    "sources.csv",
    (
        Column("id", "id", True, N_("Unique lowercase slug.")),
        Column(
            "title",
            "text",
            True,
            N_(
                "What readers see: the page's own title, or a plain description of the page when its "
                "title was not seen (say so in `notes`)."
            ),
        ),
        Column("publisher", "text", True, N_("Who published it.")),
        Column("url", "url", False, N_("Absolute http(s) URL, only if verified; else empty.")),
        Column("published", "date", False, N_("When it was published.")),
        Column("archived_url", "url", False, N_("An archive capture's URL (never built by hand).")),
        Column("accessed", "date", False, N_("When the page was last read.")),
        Column(
            "notes",
            "text",
            False,
            N_(
                "The desk's own notes on the source (how its title was written, which copy was read); "
                "never shown to readers."
            ),
            in_header=False,
        ),
    ),
)
TABLES: tuple[Table, ...] = (EVENTS, CLAIMS, SOURCES)
TABLE_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

LIST_SEPARATOR = ";"


def split_list(value: object) -> list[str]:
    """The items of a list cell (``"a; b;"`` -> ``["a", "b"]``): stripped, empty ones dropped.

    A missing cell (``None``, NaN: anything not a string) has no items.
    """
    if not isinstance(value, str):
        return []
    return [x.strip() for x in value.split(LIST_SEPARATOR) if x.strip()]


ID_PATTERN = r"[a-z0-9][a-z0-9-]*"
FORMULA_PREFIXES = ("=", "+", "-", "@")
