"""Near-duplicate stories: the same story carried by several feeds.

Wire copies and re-published updates share most of their wording even when the headline
changes, so a story's body is cut into overlapping word shingles and summarised by a
one-permutation minhash (each shingle hashed once into one of `BINS` bins, the smallest value
kept per bin; empty bins borrow from a neighbour so short texts still band well). Bands of
`ROWS_PER_BAND` bins are hashed into LSH keys stored in the library, so candidates are found
by an indexed lookup; a candidate is a duplicate when the estimated Jaccard similarity of the
two shingle sets reaches `THRESHOLD`. Duplicates form clusters (a wire story, its copy and its
update are one cluster).
"""

from __future__ import annotations

import operator
import re
import struct
import unicodedata
from collections.abc import Iterable
from hashlib import blake2b
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage import Library

SIGNATURE_VERSION = 2
SHINGLE_WORDS = 3
BINS = 60
ROWS_PER_BAND = 3
# Estimated Jaccard of 3-word shingles. A light edit of a 300-word story keeps ~0.7; two
# different stories on one thread share well under 0.2.
THRESHOLD = 0.5
# Bodies shorter than this are compared together with their title; shorter still, not at all.
BODY_MIN_WORDS = 30
MIN_WORDS = 8

_EMPTY = 0xFFFFFFFF
_MASK = (1 << 64) - 1
# Odd multipliers giving each position of a shingle its own weight ("a b c" != "c b a").
_POSITION = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)
_WORD = re.compile(r"[^\W_]+")
# Combining marks left by NFKD: dropped, as the FTS5 tokenizer drops diacritics.
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold_text(text: str) -> str:
    """Lower case without diacritics, as the FTS5 tokenizer sees words."""
    text = text.lower()
    if not text.isascii():  # the fast path is the common one: plain ASCII copy
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return text


def _words(text: str) -> list[str]:
    return _WORD.findall(fold_text(text))


def shingle_hashes(text: str) -> set[int]:
    """64-bit hashes of the text's overlapping word shingles (stable across runs).

    Each distinct word is hashed once; a shingle's hash mixes its words' hashes by
    position instead of hashing the shingle's text again."""
    words = _words(text)
    if not words:
        return set()
    cache: dict[str, int] = {}
    ids = [cache.get(w) or cache.setdefault(w, _hash64(w)) for w in words]
    if len(ids) < SHINGLE_WORDS:
        return {_mix(ids[0] * _POSITION[0], ids[-1] * _POSITION[1])}
    a, b, c = _POSITION
    return {_mix((ids[i] * a) ^ (ids[i + 1] * b), ids[i + 2] * c) for i in range(len(ids) - 2)}


def _mix(x: int, y: int) -> int:
    """Combine two products and scramble the bits (a splitmix64-style finaliser)."""
    z = (x ^ y) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def _hash64(text: str) -> int:
    return int.from_bytes(blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest())


def minhash(hashes: Iterable[int]) -> list[int]:
    """One-permutation minhash: the low bits pick a bin, the high 32 bits are the value."""
    bins = [_EMPTY] * BINS
    for h in hashes:
        b = h % BINS
        v = h >> 32
        if v < bins[b]:
            bins[b] = v
    if _EMPTY in bins and any(v != _EMPTY for v in bins):
        bins = _densify(bins)
    return bins


def _densify(bins: list[int]) -> list[int]:
    """Fill each empty bin from the next filled bin to its right (wrapping), salted by the
    distance, so two similar short texts still agree on most bins."""
    out = list(bins)
    n = len(bins)
    for i, v in enumerate(bins):
        if v != _EMPTY:
            continue
        step = 1
        while bins[(i + step) % n] == _EMPTY:
            step += 1
        out[i] = (bins[(i + step) % n] * 0x9E3779B1 + step) & 0xFFFFFFFE
    return out


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    if not a or len(a) != len(b):
        return 0.0
    # map() compares in C: 1.3 µs for two signatures, 2.9 µs with a generator (timeit); a
    # story can meet dozens of candidates.
    return sum(map(operator.eq, a, b)) / len(a)


def band_keys(signature: list[int]) -> list[int]:
    """One signed 64-bit key per band (SQLite integers are signed)."""
    keys = []
    for band in range(BINS // ROWS_PER_BAND):
        rows = signature[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        # The version is part of the key: signatures of another version never meet.
        packed = struct.pack(f"<HH{ROWS_PER_BAND}I", SIGNATURE_VERSION, band, *rows)
        keys.append(int.from_bytes(blake2b(packed, digest_size=8).digest(), signed=True))
    return keys


def pack_signature(signature: list[int]) -> bytes:
    return struct.pack(f"<{len(signature)}I", *signature)


def unpack_signature(blob: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(blob) // 4}I", blob))


def story_signature(title: str, body: str) -> list[int] | None:
    """The signature of a story, or None when it has too few words to judge."""
    words = len(_words(body))
    text = body if words >= BODY_MIN_WORDS else f"{title}\n{body}"
    if words < BODY_MIN_WORDS:
        words = len(_words(text))
    if words < MIN_WORDS:
        return None
    return minhash(shingle_hashes(text))


def index_story(library: Library, story_id: int) -> list[int]:
    """Compute and store a story's signature, join it to the cluster of any duplicate, and
    return the ids of its duplicates. Safe to call again when the story's text changed."""
    bodies = library.story_bodies([story_id])
    if story_id not in bodies:
        return []
    title, body = bodies[story_id]
    signature = story_signature(title, body)
    store_signature(library, story_id, signature)
    return [] if signature is None else duplicates_of(library, story_id)


def store_signature(library: Library, story_id: int, signature: list[int] | None) -> None:
    """Store a story's signature (computed by story_signature from its title and body) and
    join it to the cluster of any duplicate; None clears it (too few words to judge)."""
    if signature is None:
        library.clear_signature(story_id)
        return
    keys = band_keys(signature)
    library.store_signature(story_id, pack_signature(signature), keys, SIGNATURE_VERSION)
    clusters = {
        cluster
        for _other, blob, cluster in library.signature_candidates(keys, exclude=story_id)
        if similarity(signature, unpack_signature(blob)) >= THRESHOLD
    }
    if clusters:
        library.merge_clusters(story_id, clusters)


def index_stories(library: Library, story_ids: Iterable[int]) -> None:
    for story_id in story_ids:
        index_story(library, story_id)


def duplicates_of(library: Library, story_id: int) -> list[int]:
    """Other stories that are the same story as `story_id` (oldest first)."""
    return library.cluster_members(story_id)


def duplicate_groups(library: Library, story_ids: Iterable[int]) -> dict[int, list[int]]:
    """For a page of a story list: each story that has duplicates, mapped to the others
    (oldest first), so the list can show it once with "also in: ..."."""
    return library.cluster_peers(list(story_ids))
