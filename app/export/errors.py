"""The one failure every export and import raises, worded for a person."""

from __future__ import annotations


class ExportError(Exception):
    """An export or import could not be done; the message says why and what to do."""
