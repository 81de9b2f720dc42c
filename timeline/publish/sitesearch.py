"""The static site's search index: every event's and claim's words, in files split by prefix.

The index maps each term (a word, lower case) of an event (title, date, category, actors,
place, summary) or a claim (verdict, claimant, claim, rationale, headline, bottom line) to the
events and claims holding it. Its shards (``search/<i>.js``) are split by the terms' first
letters until each holds at most ``SHARD_BYTES``; the page's data lists the shards' prefixes,
so a query loads only the shards of its words' prefixes. A term's events (positions in reading
order) and claims (numbered in reading order: an event's claims in claims.csv's order) are
written as a bitmap when that is shorter (a word in most records costs an eighth of a byte per
record), else as the gaps between them in base 36.

**Rebuilt in part.** Reading 37 MB of text into words took 1.6 s of every build of a 60,000-event
archive, most of a rebuild after one edit. So a build keeps, beside its manifest
(``SiteWriter.cache``), what the index was made from: each record's digest (its row's,
``Dataset.row_digests``: a record's text is made from its row only), each record's terms, and
every term's postings. The next build reads the words of the records whose digest changed only,
moves them between terms, and encodes again the terms they touched; the shards are laid out
again from every term's postings and come out byte for byte as a whole build makes them. When the
records moved (an event added, removed or moved in time), many changed, the code or the language
changed, or the kept files do not read back, the index is built whole.
"""

from __future__ import annotations

import base64
import io
import json
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..core.schema import NO_CLAIMS, VERDICT_BY_KEY
from ..views.listing import Listing

#: At most this many bytes per search shard (a term's own postings may be more, alone in its shard).
SHARD_BYTES = 48_000
#: Terms longer than this are not indexed (hashes, URLs run together).
MAX_TERM = 40
SEARCH_DIR = "search"
WORD = re.compile(r"\w+")
#: The kept files' names (``SiteWriter.cache``), and their form's version.
CACHE = "search.json", "search-terms.npy"
CACHE_VERSION = 1
#: Past this share of records changed, the index is built whole (moving postings costs more).
REBUILD_SHARE = 0.02

#: Postings by term: ``[events, claims]``, each encoded (``encode``).
Postings = dict[str, list[str]]
Shards = list[tuple[str, Postings]]


def words_of(text: str) -> set[str]:
    """Every word of ``text``, lower case (the index leaves out those longer than MAX_TERM)."""
    return set(WORD.findall(text.lower()))


def terms(text: str) -> set[str]:
    """The words of ``text`` as the search index and the page's script read them (timeline.js)."""
    return {w for w in words_of(text) if len(w) <= MAX_TERM}


#: Base 36 of the numbers below 36 ** 2 (most gaps between a term's records), as np.base_repr writes them.
_B36 = [np.base_repr(i, 36).lower() for i in range(36**2)]


def _base36(i: int) -> str:
    if i < len(_B36):
        return _B36[i]
    return np.base_repr(i, 36).lower()


def encode(ids: Sequence[int], n: int) -> str:
    """Sorted positions among ``n``: ``b`` + a base64 bitmap, or ``d`` + base-36 gaps, whichever is shorter."""
    if not ids:
        return ""
    size = 1 + 4 * (((n + 7) // 8 + 2) // 3)  # len("b" + base64 of the packed bits)
    if size >= 2 * len(ids):  # gaps cost at least two characters each: likely the shorter
        text = "d" + ",".join(map(_base36, (i - j for i, j in zip(ids, [0, *ids]))))
        if len(text) <= size:
            return text
    bits = np.zeros(n, dtype=bool)
    bits[list(ids)] = True
    return "b" + base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode()


def decode(code: str, n: int) -> list[int]:
    """The positions :func:`encode` wrote in ``code`` (among ``n``)."""
    if not code:
        return []
    if code[0] == "d":
        out, at = [], 0
        for gap in code[1:].split(","):
            at += int(gap, 36)
            out.append(at)
        return out
    packed = np.frombuffer(base64.b64decode(code[1:]), dtype=np.uint8)
    found: list[int] = np.flatnonzero(np.unpackbits(packed, bitorder="little")[:n]).tolist()
    return found


def _shards(cost: dict[str, int], key: str, names: list[str]) -> list[tuple[str, list[str]]]:
    """``names`` (terms starting with ``key``) in shards of at most SHARD_BYTES, split by longer prefixes."""
    if sum(cost[t] for t in names) <= SHARD_BYTES or all(len(t) <= len(key) for t in names):
        return [(key, names)]
    exact = [t for t in names if len(t) <= len(key)]
    longer: dict[str, list[str]] = {}
    for t in names:
        if len(t) > len(key):
            longer.setdefault(t[: len(key) + 1], []).append(t)
    out = [(key, exact)] if exact else []
    for sub in sorted(longer):
        out += _shards(cost, sub, longer[sub])
    return out


def layout(encoded: Postings) -> Shards:
    """Every term's postings in shards: ``(prefix, {term: [events, claims]})``, by prefix."""
    cost = {t: len(t) + len(e) + len(c) + 8 for t, (e, c) in encoded.items()}
    first: dict[str, list[str]] = {}
    for t in sorted(encoded):
        first.setdefault(t[:2], []).append(t)
    out = []
    for key in sorted(first):
        for prefix, names in _shards(cost, key, first[key]):
            out.append((prefix, {t: encoded[t] for t in names}))
    return out


#: Each record's terms, as positions in the sorted vocabulary (``sorted(postings)``), ascending,
#: all in one array, and where each record's start (one more than the records).
Held = tuple["np.ndarray[Any, Any]", "np.ndarray[Any, Any]"]


def _canonical(
    vocab: list[str],
    flat: np.ndarray[Any, Any],
    lengths: Sequence[int],
    encoded: Postings,
) -> Held:
    """Records' terms given as positions in ``vocab`` (each record ``lengths[i]`` of ``flat``), as
    :data:`Held`: the same for the same index whichever way it was made (kept files are compared
    byte for byte like the site's)."""
    order = {t: i for i, t in enumerate(sorted(encoded))}
    remap = np.array([order.get(t, -1) for t in vocab], dtype=np.int64)
    values = remap[np.asarray(flat, dtype=np.int64)] if len(flat) else np.zeros(0, dtype=np.int64)
    rows = np.repeat(np.arange(len(lengths), dtype=np.int64), np.asarray(lengths, dtype=np.int64))
    values = np.sort(rows * (len(order) + 1) + values) - rows * (len(order) + 1)
    starts = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))
    return values.astype(np.uint32), starts


def _postings(event_texts: list[str], claim_texts: list[str]) -> tuple[Postings, Held]:
    """Every term's postings, encoded; and each record's terms (events, then claims): what a
    later build moves when a record changes."""
    vocab: dict[str, int] = {}
    flat = array(
        "I"
    )  # 4 bytes a term of a record, not a Python int's 28 (4 million at 60,000 events)
    lengths: list[int] = []
    found: list[defaultdict[str, list[int]]] = []
    for texts in (event_texts, claim_texts):
        own: defaultdict[str, list[int]] = defaultdict(list)
        for i, text in enumerate(texts):
            mine = terms(text)
            for t in mine:
                own[t].append(i)
            flat.extend([vocab.setdefault(t, len(vocab)) for t in mine])
            lengths.append(len(mine))
        found.append(own)
    events, claims = found
    n_ev, n_cl = len(event_texts), len(claim_texts)
    encoded = {t: [encode(events.get(t, []), n_ev), encode(claims.get(t, []), n_cl)] for t in vocab}
    return encoded, _canonical(list(vocab), np.frombuffer(flat, dtype=np.uint32), lengths, encoded)


def search_shards(event_texts: list[str], claim_texts: list[str]) -> Shards:
    """The search index in shards: ``(prefix, {term: [events, claims]})``, by prefix, postings encoded."""
    return layout(_postings(event_texts, claim_texts)[0])


class _Records:
    """The records of a listing's index: events in reading order, then claims numbered in reading
    order; each one's digest (its row's) and, on demand, its text."""

    def __init__(self, listing: Listing) -> None:
        self.listing = listing
        ds, frame = listing.ds, listing.frame
        self.event_rows: list[int] = frame["row"].tolist()
        cl = ds.raw("claims")
        by_event: dict[str, list[int]] = {}
        for row, eid in enumerate(cl["event_id"].tolist()):
            by_event.setdefault(str(eid).strip(), []).append(row)
        self.claim_rows = [r for eid in listing.ids for r in by_event.get(str(eid).strip(), [])]
        ev_d, cl_d = ds.row_digests("events"), ds.row_digests("claims")
        self.digests = [ev_d[r] for r in self.event_rows] + [cl_d[r] for r in self.claim_rows]
        self.n_events = len(self.event_rows)

    def texts(self, positions: Sequence[int] | None = None) -> tuple[list[str], list[str]]:
        """The event texts and the claim texts of the records at ``positions`` (all by default),
        in the order given."""
        ds, frame = self.listing.ds, self.listing.frame
        n = self.n_events
        wanted = range(len(self.digests)) if positions is None else positions
        at = [p for p in wanted if p < n]
        ev = ds.events.iloc[[self.event_rows[p] for p in at]]
        sub = frame.iloc[at]
        events = [
            " ".join(str(x) for x in row if isinstance(x, str))
            for row in zip(
                sub["display_date"], sub["label_own"], sub["title"], sub["category"],
                sub["actors"].map(" ".join), ev["location"], ev["summary"],
            )
        ]  # fmt: skip
        cl = ds.claims
        rows = [self.claim_rows[p - n] for p in wanted if p >= n]
        picked = cl.iloc[rows]
        heads = picked["headline"] if "headline" in cl.columns else [""] * len(rows)
        bottoms = picked["bottom_line"] if "bottom_line" in cl.columns else [""] * len(rows)
        claims = []
        for row in zip(
            picked["verdict"],
            picked["claimant"],
            picked["claim"],
            picked["rationale"],
            heads,
            bottoms,
        ):
            verdict = VERDICT_BY_KEY[row[0]].label if row[0] in VERDICT_BY_KEY else NO_CLAIMS.label
            claims.append(" ".join(str(x) for x in (verdict, *row[1:]) if isinstance(x, str)))
        return events, claims


def _npy(array: np.ndarray[Any, Any]) -> bytes:
    out = io.BytesIO()
    np.save(out, array, allow_pickle=False)
    return out.getvalue()


def _read_kept(
    kept: Callable[[str], bytes | None], shared: str
) -> tuple[dict[str, Any], Held] | None:
    """The last build's index as kept (``CACHE``), or None when there is none made the same way."""
    meta_bytes, held_bytes = kept(CACHE[0]), kept(CACHE[1])
    if meta_bytes is None or held_bytes is None:
        return None
    try:
        meta = json.loads(meta_bytes)
        held = np.load(io.BytesIO(held_bytes), allow_pickle=False)
        if (
            not isinstance(meta, dict)
            or meta.get("version") != CACHE_VERSION
            or meta.get("shared") != shared
        ):
            return None
        starts = np.asarray(meta["starts"], dtype=np.int64)
        if held.ndim != 1 or len(starts) != len(meta["records"]) + 1 or starts[-1] != len(held):
            return None
    except (ValueError, OSError, KeyError, TypeError):
        return None
    return meta, (held, starts)


def _moved(records: _Records, meta: dict[str, Any], kept: Held) -> tuple[Postings, Held] | None:
    """The postings and records' terms once the records that changed since the kept index are
    moved, or None when the index is better built whole."""
    old: list[str] = meta["records"]
    if meta["events"] != records.n_events or len(old) != len(records.digests):
        return None
    changed = [i for i, (a, b) in enumerate(zip(records.digests, old)) if a != b]
    if len(changed) > REBUILD_SHARE * len(old):
        return None
    encoded: Postings = meta["postings"]
    vocab = sorted(encoded)  # what the kept records' terms are positions in
    held, starts = kept
    n_ev, n_cl = records.n_events, len(old) - records.n_events
    event_texts, claim_texts = records.texts(changed)
    gone: defaultdict[str, list[int]] = defaultdict(list)
    came: defaultdict[str, list[int]] = defaultdict(list)
    now_of: dict[int, list[str]] = {}
    for i, text in zip(changed, event_texts + claim_texts):
        before = {vocab[k] for k in held[starts[i] : starts[i + 1]].tolist()}
        now = terms(text)
        for t in before - now:
            gone[t].append(i)
        for t in now - before:
            came[t].append(i)
        now_of[i] = list(now)
    for t in {*gone, *came}:
        parts = encoded.get(t, ["", ""])
        ev, cl = set(decode(parts[0], n_ev)), set(decode(parts[1], n_cl))
        for i in gone.get(t, []):
            (ev if i < n_ev else cl).discard(i if i < n_ev else i - n_ev)
        for i in came.get(t, []):
            (ev if i < n_ev else cl).add(i if i < n_ev else i - n_ev)
        if ev or cl:
            encoded[t] = [encode(sorted(ev), n_ev), encode(sorted(cl), n_cl)]
        else:
            encoded.pop(t, None)
    # The kept records' terms, the changed ones' replaced, as positions in the old vocabulary
    # followed by the new terms; then made canonical in the new one.
    index = {t: i for i, t in enumerate(vocab)}
    pieces, lengths, last = [], np.diff(starts).tolist(), 0
    for i in changed:
        pieces.append(held[starts[last] : starts[i]].astype(np.int64))
        pieces.append(
            np.array([index.setdefault(t, len(index)) for t in now_of[i]], dtype=np.int64)
        )
        lengths[i] = len(now_of[i])
        last = i + 1
    pieces.append(held[starts[last] :].astype(np.int64))
    return encoded, _canonical(list(index), np.concatenate(pieces), lengths, encoded)


def write_search(
    listing: Listing,
    put: Callable[[str, str], None],
    jsonp: Callable[[str, Any], str],
    *,
    kept: Callable[[str], bytes | None] | None = None,
    keep: Callable[[str, bytes], None] | None = None,
    shared: str = "",
) -> list[str]:
    """Write the index's shards (``search/<i>.js``, each ``jsonp(key, postings)``) through
    ``put``; return their prefixes. With ``kept`` and ``keep`` (``SiteWriter.kept`` and
    ``SiteWriter.cache``) the index is made from the last build's where that is the same
    (see the module's docstring); ``shared`` names the code and language it was made with."""
    records = _Records(listing)
    last = _read_kept(kept, shared) if kept is not None else None
    made = None
    if last is not None:
        try:
            made = _moved(records, *last)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            made = (
                None  # kept files that read but do not fit together (edited by hand): built whole
            )
    if made is None:
        made = _postings(*records.texts())
    encoded, (held, starts) = made
    shards = layout(encoded)
    for i, (_, postings) in enumerate(shards):
        put(f"{SEARCH_DIR}/{i}.js", jsonp(f"search/{i}", postings))
    if keep is not None:
        meta = {"version": CACHE_VERSION, "shared": shared, "events": records.n_events,
                "records": records.digests, "starts": starts.tolist(), "postings": encoded}  # fmt: skip
        text = json.dumps(meta, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        keep(CACHE[0], text.encode("utf-8", "surrogatepass"))
        keep(CACHE[1], _npy(held))
    return [prefix for prefix, _ in shards]


__all__ = [
    "SEARCH_DIR",
    "decode",
    "encode",
    "layout",
    "search_shards",
    "terms",
    "words_of",
    "write_search",
]
