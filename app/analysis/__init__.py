"""Story analysis: sentences, quotes, highlights, topics, related stories and duplicates.

Import-light and offline: no Textual, no model downloads.
"""
