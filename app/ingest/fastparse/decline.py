"""How the fast path says no: the caller then reads the feed with feedparser."""

from __future__ import annotations


class Decline(Exception):
    """Something this path is not sure to read as feedparser does."""
