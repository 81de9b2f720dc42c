"""The shipped story keeps the rule that is never bent: only VERIFIED links, quotes verbatim.

Read against ``../shared/research/sources-checked.csv`` (every source found for the story, each
VERIFIED or not) and ``../shared/seed/`` (the City A.M. article the story starts from).
"""

from __future__ import annotations

import csv
import re

import pytest
from conftest import ROOT, SHARED

import timeline

CHECKED = SHARED / "research" / "sources-checked.csv"
SEED = next(iter(sorted((SHARED / "seed").glob("*.txt"))), None)
STORY = timeline.load(ROOT / "data")


def checked_sources() -> list[dict[str, str]]:
    with CHECKED.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_link_in_the_story_is_a_verified_url():
    verified = {
        row["url"].strip() for row in checked_sources() if row["confidence"].strip() == "VERIFIED"
    }
    assert verified, f"no VERIFIED source read from {CHECKED}"
    unverified = [
        (source["id"], column, source[column])
        for source in STORY.records("sources")
        for column in ("url", "archived_url")
        if source.get(column) and source[column] not in verified
    ]
    assert unverified == [], "links not VERIFIED in sources-checked.csv"


def seed_source_id() -> str:
    [seed_row] = [row for row in checked_sources() if "seed article" in row["notes"].lower()]
    [source] = [s for s in STORY.records("sources") if s["url"] == seed_row["url"]]
    return str(source["id"])


def quoted_parts(claim: str) -> list[str]:
    """The claim's words without its bracketed editorial insertions ("although [the spokesman] stopped")."""
    return [part.strip() for part in re.split(r"\[[^\]]*\]", claim) if part.strip()]


@pytest.mark.parametrize("claim_id", [c for c in STORY.ids("claims")])
def test_a_claim_from_the_seed_article_quotes_it_verbatim(claim_id):
    claim = STORY.get("claims", claim_id)
    if claim["said_in"] != seed_source_id():
        assert claim["said_in"] in STORY.ids("sources")
        return
    assert SEED is not None, f"no seed article in {SHARED / 'seed'}"
    seed = " ".join(SEED.read_text(encoding="utf-8").split())
    at = 0
    for part in quoted_parts(claim["claim"]):
        found = seed.find(" ".join(part.split()), at)
        assert found >= 0, f"{claim_id}: {part!r} is not in the seed article (after character {at})"
        at = found + len(part)


def test_a_claim_quotes_its_claimant_with_balanced_quotation_marks():
    unbalanced = [
        cid
        for cid in STORY.ids("claims")
        if STORY.get("claims", cid)["claim"].count("“")
        != STORY.get("claims", cid)["claim"].count("”")
    ]
    assert unbalanced == []


# --------------------------------------------------------------- issue 20: the second edit
RESEARCH = SHARED / "research" / "story-research.md"
DATA = ROOT / "data"
BASE_URL = "https://factcheck.example.org/soleimani/"


def plain(text: str) -> str:
    """Text with typographic quotes, apostrophes and dashes made plain, spaces collapsed."""
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        text = text.replace(a, b)
    return " ".join(text.split())


def quotations(text: str) -> list[str]:
    """Every span in double quotation marks (straight or curly), each cut at its ellipses."""
    spans = re.findall(r'"([^"]+)"', plain(text))
    return [
        p.strip(" .,;:!?") for s in spans for p in re.split(r"…|\.\.\.", s) if p.strip(" .,;:!?")
    ]


def research_text() -> str:
    """What the sources say, as the research gives it: the seed, the research report (with its
    addendum) and the titles and notes of every source checked."""
    assert SEED is not None
    return plain("\n".join(p.read_text(encoding="utf-8") for p in (SEED, RESEARCH, CHECKED)))


READER_TEXT = {"events": ("title", "summary"), "claims": ("rationale", "headline", "bottom_line")}


def test_every_quotation_in_the_story_is_in_the_sources_as_the_research_gives_them():
    said = research_text()
    unsourced = [
        (row["id"], column, q)
        for table, columns in READER_TEXT.items()
        for row in STORY.records(table)
        for column in columns
        for q in quotations(str(row.get(column) or ""))
        if q not in said
    ]
    assert unsourced == [], (
        "words in quotation marks that no source says, as the research gives them"
    )


TWEET = "The answer to both is a strong YES., but it doesn't really matter because of his horrible past!"
POMPEO = "There is no doubt that there were a series of imminent attacks being plotted by Qassem Soleimani"
ESPER = "The president didn't cite a specific piece of evidence. What he said was he believed"


def quoted_in(row: dict, columns: tuple[str, ...]) -> list[str]:
    return [q for column in columns for q in quotations(str(row.get(column) or ""))]


def test_usa_todays_paraphrase_is_never_quoted_as_trumps_words():
    quoted = [(t, r["id"]) for t, cols in READER_TEXT.items() for r in STORY.records(t) for q in quoted_in(r, cols)
              if "really didn't matter" in q]  # fmt: skip
    assert quoted == []
    assert (
        plain(TWEET) in research_text()
    )  # the addendum's words (S104), which the story quotes instead


@pytest.mark.parametrize(
    ("table", "row_id", "columns"),
    [("events", "trump-barr-imminence", ("title", "summary")),
     ("claims", "c3b-us-clear-imminent-attacks", ("rationale",)),
     ("claims", "c13-trump-imminent-sinister-attacks", ("rationale",))],
)  # fmt: skip
def test_the_tweet_of_13_january_is_quoted_whole_from_the_answer_to_both(table, row_id, columns):
    row = STORY.get(table, row_id)
    assert any(q.startswith("The answer to both is a strong YES") and q.endswith("horrible past")
               for q in quoted_in(row, columns)), row_id  # fmt: skip
    cited = set(STORY.get(table, row_id)["sources" if table == "events" else "evidence"].split(";"))
    verified = {r["url"] for r in checked_sources() if r["id"] in ("S104", "S105")}
    assert {STORY.get("sources", s)["url"] for s in cited} >= verified


@pytest.mark.parametrize(
    "claim_id", ["c3b-us-clear-imminent-attacks", "c13-trump-imminent-sinister-attacks"]
)
def test_pompeo_and_esper_are_quoted_in_full_where_their_doubts_are(claim_id):
    quoted = quoted_in(STORY.get("claims", claim_id), ("rationale",))
    assert POMPEO in quoted, "Pompeo's 'no doubt' comes before 'We don't know precisely when'"
    assert plain(ESPER) in [plain(q) for q in quoted], (
        "Esper's whole answer (T25), not only 'I didn't see one'"
    )


def test_a_bottom_line_asserts_no_quotation():
    for claim in STORY.records("claims"):
        line = str(claim.get("bottom_line") or "")
        assert line and len(line) <= 200, claim["id"]
        assert quotations(line) == [] and "“" not in line and '"' not in line, claim["id"]


def test_c4_is_rated_as_what_it_is_a_refusal_no_other_report_confirms():
    c4 = STORY.get("claims", "c4-refused-comment-on-evidence")
    assert c4["verdict"] == "unsubstantiated"
    assert "our record" not in c4["rationale"]


PROCESS_SPEAK = ("title from URL slug", "page title not seen", "(slug:", "No byline appears", "our record of them",
                 "that we checked", "joint statement report)")  # fmt: skip


def test_no_source_title_is_a_note_about_how_it_was_made():
    for source in STORY.records("sources"):
        title = source["title"]
        assert not title.startswith("("), source["id"]
        assert not any(s in title for s in PROCESS_SPEAK), source["id"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    """The shipped story's microsite as it is published: its own corrections, its own publisher."""
    from timeline.publish.site import build_site

    out = tmp_path_factory.mktemp("shipped-site") / "out"
    build_site(DATA, out, base_url=BASE_URL, environ={"SOURCE_DATE_EPOCH": "1767225600"})
    return out


def reader_files(out):
    """Every file a reader is shown (the downloadable CSV files are data, not pages)."""
    return [
        p
        for p in sorted(out.rglob("*"))
        if p.suffix in (".html", ".xml") and "downloads" not in p.parts
    ]


def test_no_reader_visible_text_says_how_a_title_was_made(site):
    hits = [(str(p.relative_to(site)), s) for p in reader_files(site) for s in PROCESS_SPEAK
            if s in p.read_text(encoding="utf-8")]  # fmt: skip
    assert hits == []
    corrections = (site / "corrections.html").read_text(encoding="utf-8")
    assert "govuk-e3-joint-statement" not in corrections, "an internal id on the corrections page"


def meta_content(html: str, attr: str, name: str) -> str:
    from html import unescape

    m = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)">', html)
    assert m, name
    return unescape(m.group(1))


def names(claimant: str) -> list[str]:
    """How a title may name a claimant: the name before any comma, or its last word if a proper name."""
    lead = claimant.split(",")[0].strip()
    last = lead.split()[-1]
    return [lead] + ([last] if len(lead.split()) > 1 and last[:1].isupper() else [])


@pytest.mark.parametrize("claim_id", STORY.ids("claims"))
def test_a_claim_pages_travelling_titles_name_the_claimant(site, claim_id):
    from html import unescape

    claim = STORY.get("claims", claim_id)
    html = (site / "claims" / f"{claim_id}.html").read_text(encoding="utf-8")
    title = unescape(re.search(r"<title>(.*?)</title>", html).group(1))
    travelling = [
        title,
        meta_content(html, "property", "og:title"),
        meta_content(html, "name", "twitter:title"),
    ]
    for text in travelling:
        assert any(n in text for n in names(claim["claimant"])), (claim_id, text)
    assert (
        unescape(re.search(r'<h1 class="tl-title" dir="auto">(.*?)</h1>', html).group(1))
        == claim["headline"]
    )


def test_every_change_the_second_review_found_is_on_the_record(site):
    import feedparser

    with (DATA / "corrections.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    logged = {(r["target"], r["change"]) for r in rows}
    expected = {
        ("story:standfirst", "correction"), ("claim:c6-iran-pull-back-nuclear-deal", "correction"),
        ("claim:c8-trump-signalled-cultural-sites", "correction"), ("claim:c3a-right-of-self-defence", "correction"),
        ("claim:c4-refused-comment-on-evidence", "clarification"), ("claim:c11-stopped-short-of-war-crime", "clarification"),
        ("event:pompeo-sunday-shows", "clarification"), ("event:trump-barr-imminence", "correction"),
        ("claim:c3b-us-clear-imminent-attacks", "correction"), ("claim:c13-trump-imminent-sinister-attacks", "correction"),
        ("claim:c4-refused-comment-on-evidence", "verdict-change"), ("claim:c9-trump-quote-this-weekend", "clarification"),
        ("claim:c7-e3-statement-yesterday", "clarification"), ("claim:c8-trump-signalled-cultural-sites", "clarification"),
    }  # fmt: skip
    assert expected <= logged
    page = (site / "corrections.html").read_text(encoding="utf-8")
    assert page.count('<li class="tl-correction"') == len(rows)
    assert "the story&#39;s standfirst" in page
    feed = feedparser.parse((site / "feeds" / "corrections.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == len(rows)
    assert "Correction: the story's standfirst" in [e.title for e in feed.entries]
    assert not [
        e.title for e in feed.entries if re.search(r"\b(claim|event|source|story):", e.title)
    ]


def test_the_publisher_is_a_placeholder_that_says_so(site):
    import json

    publisher = json.loads((DATA / "story.json").read_text(encoding="utf-8"))["publisher"]
    assert "placeholder" in publisher["name"].lower()
    about = (site / "about.html").read_text(encoding="utf-8")
    for key in ("address", "contact", "funding"):
        assert "placeholder" in publisher[key].lower()
        assert publisher[key].replace("'", "&#39;") in about
    for page in (site / "claims").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'href="../about.html">Who we are</a>' in html
        if "application/ld+json" in html:
            ld = json.loads(
                html.split('<script type="application/ld+json">')[1].split("</script>")[0]
            )
            assert ld["author"]["name"] == publisher["name"]
