"""HTML: one self-contained file to read or print. Every piece of feed text goes through
html.escape; no scripts, no remote assets, one small inline stylesheet."""

from __future__ import annotations

from html import escape

from app.export.common import (
    clean,
    highlight_notes,
    one_line,
    paragraphs,
    story_notes,
    visible_tags,
)
from storage.models import Story, speaker_label

STYLE = """
body { font: 17px/1.55 Georgia, "Times New Roman", serif; max-width: 42em; margin: 2em auto;
       padding: 0 1em; color: #1b1b1b; background: #fff; }
h1 { font-size: 1.6em; } h2 { font-size: 1.35em; margin-top: 2.5em; }
h3 { font: 600 0.8em/1.4 system-ui, sans-serif; text-transform: uppercase;
     letter-spacing: .06em; color: #555; margin-top: 1.6em; }
.meta, nav, .kind, .note-label { font: 0.85em/1.4 system-ui, sans-serif; color: #555; }
.tags span { border: 1px solid #bbb; border-radius: 3px; padding: 0 .35em; margin-right: .3em; }
blockquote { margin: 1em 0; padding: .2em 1em; border-left: 4px solid #e0b400;
             background: #fdf8e4; }
.quotes li { margin-bottom: .5em; } .speaker { font-weight: 600; }
.note { margin: .4em 0 1em 1.2em; padding-left: .6em; border-left: 2px solid #8aa; }
article { border-top: 1px solid #ddd; } a { color: #1a4f8a; word-break: break-word; }
@media print { body { max-width: none; font-size: 11pt; } nav { display: none; }
  article { page-break-before: always; border: none; } a { color: inherit; } }
"""


def _text(value: str | None) -> str:
    return escape(one_line(value), quote=True)


def _block(value: str) -> str:
    """Multi-line text: paragraphs, line breaks kept."""
    return "".join(
        "<p>" + "<br>".join(escape(line, quote=True) for line in p.split("\n")) + "</p>"
        for p in paragraphs(value)
    )


def _safe_href(url: str | None) -> str | None:
    """Only web links become links (never javascript: or data:)."""
    url = one_line(url)
    if url.lower().startswith(("http://", "https://")):
        return escape(url, quote=True)
    return None


def _story(story: Story, anchor: str) -> str:
    out = [f'<article id="{anchor}">']
    title = _text(story.title) or "Untitled"
    href = _safe_href(story.url)
    out.append(f'<h2><a href="{href}">{title}</a></h2>' if href else f"<h2>{title}</h2>")
    meta = [_text(p) for p in (story.author, story.feed_title) if one_line(p)]
    if story.published:
        meta.append(escape(story.published[:10]))
    if story.saved:
        meta.append("saved")
    out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    tags = visible_tags(story)
    if tags:
        out.append(
            '<p class="meta tags">' + "".join(f"<span>{_text(t)}</span>" for t in tags) + "</p>"
        )
    if story.highlights:
        out.append("<h3>Highlights</h3>")
        for h in story.highlights:
            out.append(f"<blockquote>{_block(h.text)}")
            if h.kind != "user":
                out.append(f'<p class="kind">— {escape(h.kind)}</p>')
            if not h.anchored:
                out.append('<p class="kind">(no longer in the story\'s text)</p>')
            out.append("</blockquote>")
            out.extend(f'<div class="note">{_block(n)}</div>' for n in highlight_notes(story, h))
    if story.quotes:
        out.append('<h3>Quotes</h3><ul class="quotes">')
        for q in story.quotes:
            who = _text(speaker_label(q.speaker, q.speaker_title)) or "Unknown speaker"
            out.append(f'<li><span class="speaker">{who}</span> — “{_text(q.text)}”</li>')
        out.append("</ul>")
    notes = story_notes(story)
    if notes:
        out.append("<h3>Notes</h3>")
        out.extend(f'<div class="note">{_block(n.body)}</div>' for n in notes)
    body = story.text if clean(story.text).strip() else story.summary
    if clean(body).strip():
        out.append("<h3>Text</h3>")
        out.append(_block(body))
    out.append("</article>")
    return "\n".join(out)


def render(stories: list[Story], *, title: str = "Byline export") -> str:
    count = f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'}"
    toc = "".join(
        f'<li><a href="#story-{s.id}">{_text(s.title) or "Untitled"}</a></li>' for s in stories
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No network, no scripts: the file reads the same offline, forever.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f'<header><h1>{escape(title)}</h1><p class="meta">{count}</p></header>',
        f"<nav><ol>{toc}</ol></nav>" if len(stories) > 1 else "",
        *(_story(s, f"story-{s.id}") for s in stories),
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"
