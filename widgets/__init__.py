"""Textual widgets of the reader. They import `textual` and `storage.models` only."""
