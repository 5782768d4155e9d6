"""Getting stories in: fetch (httpx), parse (feedparser + JSON Feed), clean HTML, refresh.

Modules are imported directly (`from app.ingest.refresh import refresh_sync`); this package
imports nothing so the CLI starts fast.
"""
