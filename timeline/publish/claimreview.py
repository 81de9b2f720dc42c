"""schema.org ClaimReview JSON-LD: one object per rated claim, for the one page that shows it.

Every claim whose verdict has a rating (all but ``not-rated``) becomes::

    {"@context": "https://schema.org", "@type": "ClaimReview",
     "url": "<the claim's page>", "claimReviewed": "<headline, else the whole claim>",
     "datePublished": "<reviewed>",
     "reviewBody": "<the claim's bottom line, if it has one>",
     "author": {"@type": "Organization", "name": PUBLISHER[, "url": BASE_URL]},
     "reviewRating": {"@type": "Rating", "ratingValue": 1..5, "bestRating": 5,
                      "worstRating": 1, "alternateName": "<verdict label>"},
     "itemReviewed": {"@type": "Claim",
                      "author": {"@type": "Person" | "Organization" | "Thing", "name": "<claimant>"},
                      "datePublished": "<the said-in source's published date, if any>",
                      "appearance": {"@type": "CreativeWork", "url": "<the said-in URL, if any>"}}}

``claimReviewed`` is the claim's ``headline`` (our short neutral summary) or, without
one, the whole claim on one line: never a quote cut short. The claimant's type comes
from ``claimant_type`` (``schema.CLAIMANT_TYPES``); without it the claimant is a
``Thing`` (schema.org's supertype of both): named, never typed by a guess.

``reviewBody`` is the claim's ``bottom_line``, the desk's one-sentence answer; a claim
without one has no ``reviewBody``.

``script_text`` serialises them for a ``<script type="application/ld+json">``:
valid JSON in which no ``<`` appears raw, so no text can close the element.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..core.schema import CLAIMANT_TYPE_UNKNOWN, CLAIMANT_TYPES, VERDICT_BY_KEY
from ..core.urls import is_web_url
from ..views.language import ENGLISH, PageLanguage, page_language

CONTEXT = "https://schema.org"


def one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


def claim_reviewed(claim: dict[str, Any]) -> str:
    """The claim's headline, else the whole claim, on one line (never cut)."""
    return one_line(claim.get("headline")) or one_line(claim.get("claim"))


def claimant_schema_type(claim: dict[str, Any]) -> str:
    """``Person``, ``Organization`` (from ``claimant_type``) or ``Thing`` when it is empty."""
    return CLAIMANT_TYPES.get(str(claim.get("claimant_type") or "").strip(), CLAIMANT_TYPE_UNKNOWN)


def claim_url(claim_id: str, base_url: str | None) -> str:
    """``BASE_URL#claim-<id>`` (any fragment of the base is dropped), or ``#claim-<id>``:
    the claim's place in a single-page snapshot."""
    base = (base_url or "").split("#", 1)[0]
    return f"{base}#claim-{claim_id}"


def claim_review(
    claim: dict[str, Any],
    said_in: dict[str, Any] | None,
    *,
    url: str,
    publisher: str,
    publisher_url: str | None = None,
    claimant_url: str | None = None,
    lang: PageLanguage = ENGLISH,
) -> dict[str, Any] | None:
    """The ClaimReview of one claim (raw cells), or None for a claim that is not rated.

    ``lang`` (the story's language) gives ``inLanguage`` and the verdict's ``alternateName``: the
    label the page shows (the desk's own words when story.json gives them).

    ``claimant_url`` (the claimant's page, absolute) gives the claimant an identity: ``@id``
    ``<claimant_url>#id`` and ``url``, the same in every ClaimReview of that claimant.
    """
    verdict = VERDICT_BY_KEY.get(str(claim.get("verdict", "")).strip())
    if verdict is None or verdict.rating is None:
        return None
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": {"@type": claimant_schema_type(claim), "name": one_line(claim.get("claimant"))},
    }
    if claimant_url:
        item["author"] = {"@id": f"{claimant_url}#id", **item["author"], "url": claimant_url}
    if said_in is not None:
        published = str(said_in.get("published", "")).strip()
        if published:
            item["datePublished"] = published
        link = str(said_in.get("url", "")).strip()
        if is_web_url(link):
            item["appearance"] = {"@type": "CreativeWork", "url": link}
    author: dict[str, Any] = {"@type": "Organization", "name": publisher}
    if publisher_url:
        author["url"] = publisher_url
    body = one_line(claim.get("bottom_line"))
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim_reviewed(claim),
        "datePublished": str(claim.get("reviewed", "")).strip(),
        **({"reviewBody": body} if body else {}),
        "author": author,
        "inLanguage": lang.tag,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": verdict.rating,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": lang.verdict_label(verdict),
        },
        "itemReviewed": item,
    }


def claim_reviews(
    ds: Any,
    *,
    publisher: str,
    base_url: str | None = None,
    url_for: Callable[[str], str] | None = None,
    publisher_url: str | None = None,
) -> list[dict[str, Any]]:
    """One ClaimReview per rated claim of ``ds``, in the order of claims.csv.

    ``url_for(claim_id)`` gives each one's ``url`` (default: ``claim_url(id, base_url)``).
    """
    sources = {str(r["id"]).strip(): r for r in ds.raw("sources").to_dict("records")}
    lang = page_language(ds)
    out: list[dict[str, Any]] = []
    for claim in ds.raw("claims").to_dict("records"):
        claim_id = str(claim["id"]).strip()
        url = url_for(claim_id) if url_for else claim_url(claim_id, base_url)
        review = claim_review(
            claim,
            sources.get(str(claim["said_in"]).strip()),
            url=url,
            publisher=publisher,
            publisher_url=publisher_url,
            lang=lang,
        )
        if review is not None:
            out.append(review)
    return out


def script_text(reviews: list[dict[str, Any]] | dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">``: ``<`` is written ``\\u003c``.

    So ``</script>`` (or ``<!--``) in a claim cannot end the element, and the
    JSON still reads back to the same strings.
    """
    text = json.dumps(reviews, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")
