"""schema.org ClaimReview JSON-LD: one object per rated claim.

Every claim whose verdict has a rating (all but ``not-rated``) becomes::

    {"@context": "https://schema.org", "@type": "ClaimReview",
     "url": BASE_URL + "#claim-<id>", "claimReviewed": "<under 75 characters>",
     "datePublished": "<reviewed>",
     "author": {"@type": "Organization", "name": PUBLISHER},
     "reviewRating": {"@type": "Rating", "ratingValue": 1..5, "bestRating": 5,
                      "worstRating": 1, "alternateName": "<verdict label>"},
     "itemReviewed": {"@type": "Claim",
                      "author": {"@type": "Person" | "Organization", "name": "<claimant>"},
                      "datePublished": "<the said-in source's published date, if any>",
                      "appearance": {"@type": "CreativeWork", "url": "<the said-in URL, if any>"}}}

``script_text`` serialises them for a ``<script type="application/ld+json">``:
valid JSON in which no ``<`` appears raw, so no text can close the element.
Without a base URL, ``url`` is the relative ``#claim-<id>``, which JSON-LD
resolves against the page's own address.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..core.schema import VERDICT_BY_KEY
from ..core.text import ELLIPSIS
from ..core.urls import is_web_url

CONTEXT = "https://schema.org"
CLAIM_REVIEWED_LIMIT = 75  # Google: "Try to keep this less than 75 characters"
# A claimant whose name holds one of these words is an organisation; anyone else is a person.
ORGANIZATION_WORDS = (
    "agency", "army", "assembly", "association", "bureau", "cabinet", "command", "commission",
    "committee", "company", "council", "court", "department", "embassy", "forces", "foundation",
    "government", "guard", "institute", "ministry", "navy", "news", "nations", "office", "parliament",
    "party", "pentagon", "press", "senate", "service", "times", "union", "university", "white house",
)  # fmt: skip


def shorten(text: str, limit: int = CLAIM_REVIEWED_LIMIT) -> str:
    """``text`` on one line, under ``limit`` characters: cut at a word boundary with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) < limit:
        return flat
    room = limit - 1 - len(ELLIPSIS)  # strictly under the limit, ellipsis included
    cut = flat[: room + 1]
    space = cut.rfind(" ")
    head = cut[:space] if space > 0 else flat[:room]
    return head.rstrip(" ,;:.-\u2013\u2014\"'\u201c\u2018(") + ELLIPSIS


def claimant_type(name: str, publishers: set[str] | frozenset[str] = frozenset()) -> str:
    """``Organization`` for a source's publisher or a name with an organisation word, else ``Person``."""
    base = name.split(" (", 1)[0].strip().casefold()
    if base in {p.strip().casefold() for p in publishers if p.strip()}:
        return "Organization"
    words = f" {re.sub(r'[^a-z0-9 ]+', ' ', base)} "
    if any(f" {w} " in words for w in ORGANIZATION_WORDS):
        return "Organization"
    return "Person"


def claim_url(claim_id: str, base_url: str | None) -> str:
    """``BASE_URL#claim-<id>`` (any fragment of the base is dropped), or ``#claim-<id>``."""
    base = (base_url or "").split("#", 1)[0]
    return f"{base}#claim-{claim_id}"


def claim_reviews(ds: Any, *, publisher: str, base_url: str | None = None) -> list[dict[str, Any]]:
    """One ClaimReview object per rated claim of ``ds``, in the order of claims.csv."""
    sources = {str(r["id"]).strip(): r for r in ds.records("sources")}
    publishers = {str(r["publisher"]) for r in sources.values()}
    out: list[dict[str, Any]] = []
    for claim in ds.records("claims"):
        verdict = VERDICT_BY_KEY.get(str(claim["verdict"]).strip())
        if verdict is None or verdict.rating is None:
            continue
        claim_id = str(claim["id"]).strip()
        claimant = " ".join(str(claim["claimant"]).split())
        item: dict[str, Any] = {
            "@type": "Claim",
            "author": {"@type": claimant_type(claimant, publishers), "name": claimant},
        }
        said_in = sources.get(str(claim["said_in"]).strip())
        if said_in is not None:
            published = str(said_in["published"]).strip()
            if published:
                item["datePublished"] = published
            url = str(said_in["url"]).strip()
            if is_web_url(url):
                item["appearance"] = {"@type": "CreativeWork", "url": url}
        out.append(
            {
                "@context": CONTEXT,
                "@type": "ClaimReview",
                "url": claim_url(claim_id, base_url),
                "claimReviewed": shorten(str(claim["claim"])),
                "datePublished": str(claim["reviewed"]).strip(),
                "author": {"@type": "Organization", "name": publisher},
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": verdict.rating,
                    "bestRating": 5,
                    "worstRating": 1,
                    "alternateName": verdict.label,
                },
                "itemReviewed": item,
            }
        )
    return out


def script_text(reviews: list[dict[str, Any]]) -> str:
    """JSON for a ``<script type="application/ld+json">``: ``<`` is written ``\\u003c``.

    So ``</script>`` (or ``<!--``) in a claim cannot end the element, and the
    JSON still reads back to the same strings.
    """
    text = json.dumps(reviews, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")
