"""The site's editions linked to each other: which page of one edition is a page of another (the
same claim; the claimant or category of the same claims), each page's switcher to every edition
(``views.editions``), the sitemap's alternates and Open Graph's ``og:locale:alternate``.

Each function takes a :class:`Site` (``publish.site``'s build of one edition) and reads the
other editions through it: what it needs of an edition is named by the protocol, so this module
does not import the build.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import Protocol

from ..core.dataset import Dataset
from ..views.claim_page import ClaimPages
from ..views.editions import EditionLink, own_name
from ..views.language import PageLanguage
from .groups import CATEGORIES_DIR, CLAIMANTS_DIR, Groups


class Site(Protocol):
    """What the links between editions need of each edition's build (``publish.site._Site``)."""

    ds: Dataset
    pages: ClaimPages
    groups: Groups
    lang: PageLanguage
    home: str
    tag: str

    @property
    def editions(self) -> Sequence[Site]: ...
    def url(self, rel: str) -> str | None: ...
    def base_join(self, rel: str) -> str: ...


def same_page(site: Site, rel: str, origin: Site) -> str | None:
    """The page of edition ``site`` that is ``origin``'s page ``rel``, or None when it has none:
    the same claim; the claimant or category of the same claims (names differ between
    languages, ids do not); every other page exists in every edition."""
    folder, _, name = rel.rpartition("/")
    if folder == "claims":
        return rel if name.removesuffix(".html") in site.pages.claims else None
    if folder in (CLAIMANTS_DIR, CATEGORIES_DIR):
        return same_group(site, folder, name, origin)
    return rel


def same_group(site: Site, folder: str, name: str, origin: Site) -> str | None:
    """Edition ``site``'s page of ``origin``'s claimant or category page ``name``: the group of
    its first claim (a claimant's) or event (a category's) that this edition has."""
    if folder == CLAIMANTS_DIR:
        theirs, mine, of = (
            origin.groups.claimants,
            site.groups.claimants,
            site.groups.claimant_of,
        )
        members = {g.name: g.claims for g in theirs.values()}
    else:
        theirs, mine = origin.groups.categories, site.groups.categories
        of = {e: lane for lane, events in site.groups.lane_events.items() for e in events}
        members = origin.groups.lane_events
    group = next((g for g in theirs.values() if g.rel == name), None)
    keys = (of[m] for m in members.get(group.name, []) if m in of) if group else ()
    found = next((mine[k] for k in keys if k in mine), None)
    return f"{folder}/{found.rel}" if found else None


def edition_links(site: Site, rel: str) -> tuple[EditionLink, ...]:
    """Page ``rel``'s links to every edition (its own included); none for a one-edition site."""
    if len(site.editions) < 2:
        return ()
    up = "../" * rel.count("/")
    tags = tuple(e.tag for e in site.editions)
    out = []
    for i, other in enumerate(site.editions):
        same = rel if other is site else same_page(other, rel, site)
        target = posixpath.relpath(other.home + (same or "index.html"), site.home or ".")
        url = other.url("" if same == "index.html" else same) if same is not None else None
        out.append(EditionLink(other.tag, own_name(other.tag, tags), up + target, url,
                               other.ds.language.direction, other is site, i == 0))  # fmt: skip
    return tuple(out)


def alternate_urls(site: Site, rel: str) -> list[tuple[str, str]]:
    """The sitemap's alternates of page ``rel``: (hreflang, URL) per edition that has it, and x-default."""
    found = [(e.tag, e.base_join(same)) for e in site.editions
             if (same := rel if e is site else same_page(e, rel, site)) is not None]  # fmt: skip
    if len(found) < 2:
        return []
    first = site.editions[0].tag
    return found + [("x-default", url) for tag, url in found if tag == first]


def locale_alternates(site: Site, rel: str) -> tuple[tuple[str, str, str], ...]:
    """Open Graph's ``og:locale:alternate`` of page ``rel``: the languages of the other editions that have it."""
    return tuple(
        ("property", "og:locale:alternate", e.lang.og_locale)
        for e in site.editions
        if e is not site and same_page(e, rel, site) is not None
    )


__all__ = [
    "Site",
    "alternate_urls",
    "edition_links",
    "locale_alternates",
    "same_group",
    "same_page",
]
