"""Analysis from the shell: `analyze`, `reanalyze`, `topic add|remove|list`, `tag`, `untag`."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from app.cli import UserFacingError
from app.commands.output import plain
from storage.models import speaker_label

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MAX_SOURCE_BYTES = 20 * 1024 * 1024


# -- reading a source -----------------------------------------------------------------------
def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _fetch(url: str, settings: Any) -> tuple[str, bool]:
    import httpx

    try:
        with (
            httpx.Client(
                follow_redirects=True,
                timeout=settings.timeout,
                headers={"User-Agent": settings.user_agent},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise UserFacingError(f"{url}: the server answered {response.status_code}")
            chunks = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > settings.max_bytes:
                    raise UserFacingError(
                        f"{url}: the page is larger than {settings.max_bytes} bytes"
                    )
                chunks.append(chunk)
            kind = response.headers.get("content-type", "")
    except httpx.HTTPError as exc:
        raise UserFacingError(f"{url}: {exc.__class__.__name__}: {exc}") from None
    body = b"".join(chunks)
    is_html = "html" in kind or body.lstrip()[:15].lower().startswith((b"<!doctype", b"<html"))
    return _decode(body), is_html


def _read_source(source: str, settings: Any) -> tuple[str, bool]:
    """The source's text and whether it is HTML."""
    if re.match(r"(?i)https?://", source):
        return _fetch(source, settings)
    if "://" in source:
        raise UserFacingError(f"{source}: only files and http(s) URLs can be analysed")
    path = Path(source)
    if not path.is_file():
        raise UserFacingError(f"{source}: no such file")
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise UserFacingError(f"{source}: larger than {MAX_SOURCE_BYTES} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise UserFacingError(f"{source}: {exc.strerror or exc}") from None
    text = _decode(data)
    is_html = path.suffix.lower() in HTML_SUFFIXES or (
        path.suffix.lower() not in {".txt", ".text", ".md"}
        and text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))
    )
    return text, is_html


def _split_title(text: str) -> tuple[str, str]:
    """A plain-text story whose first line stands alone is taken to start with its title."""
    text = text.replace("\r\n", "\n").strip("\n")
    first, sep, rest = text.partition("\n\n")
    if sep and "\n" not in first and len(first) <= 200 and rest.strip():
        return first.strip(), rest.strip("\n")
    return "", text


def _page_title(html: str) -> str:
    import html as htmllib

    m = re.search(r'(?is)<meta[^>]+property=["\']og:title["\'][^>]*content=["\']([^"\']*)', html)
    if not m:
        m = re.search(r"(?is)<title[^>]*>(.*?)</title>", html)
    return " ".join(htmllib.unescape(m.group(1)).split()) if m else ""


def _extract_article(html: str, url: str | None) -> Any:
    """The article of a page, when the full-text extractor is installed."""
    try:
        from app.analysis.fulltext import extract_article
    except ImportError:
        return None
    return extract_article(html, url)


def _html_story(html: str, url: str | None) -> tuple[str, str, list[str]]:
    """(title, body text, publisher bullets) of a page."""
    from app.analysis.highlights import publisher_items_from_html

    items = publisher_items_from_html(html)
    title, text = "", ""
    article = _extract_article(html, url)
    if article is not None:
        title, text = article.title or "", article.text or ""
        items = items or list(getattr(article, "highlights", []) or [])
    if not text.strip():
        from app.ingest.clean import html_to_text

        text = html_to_text(html)
    return title or _page_title(html), text, items


def _clean(text: str) -> str:
    try:
        from app.ingest.clean import strip_controls
    except ImportError:
        return text
    return strip_controls(text)


# -- commands -------------------------------------------------------------------------------
def _library_if_present(ctx: Any) -> Any:
    """The library's rules and learned tags count, but `analyze` never creates a library."""
    path = Path(ctx.settings.db)
    return ctx.library if path.is_file() else None


@click.command("analyze")
@click.argument("sources", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source, one a line.")
@click.pass_obj
def analyze_command(ctx: Any, sources: tuple[str, ...], as_json: bool) -> None:
    """Analyse files (.txt, .html) or http(s) URLs without storing them.

    Prints quotes with speakers, highlights and topics; with --json, one object per source
    with character offsets into its "text".
    """
    from app.analysis import pipeline

    library = _library_if_present(ctx)
    rules = pipeline.load_rules(library) if library is not None else []
    learned = pipeline._learned_model(library) if library is not None else None
    failures = 0
    for source in sources:
        try:
            raw, is_html = _read_source(source, ctx.settings)
        except UserFacingError as exc:
            click.echo(f"byline: {exc.format_message()}", err=True)
            failures += 1
            continue
        if is_html:
            url = source if re.match(r"(?i)https?://", source) else None
            title, text, items = _html_story(raw, url)
        else:
            title, text = _split_title(raw)
            items = []
        result = pipeline.analyse_text(
            _clean(text), title=plain(title), publisher_items=items, rules=rules, learned=learned
        )
        if as_json:
            click.echo(json.dumps(result.to_json(source), ensure_ascii=False))
        else:
            _print_summary(source, result)
    if failures:
        raise click.exceptions.Exit(1)


def _print_summary(source: str, result: Any) -> None:
    click.echo(plain(source))
    if result.title:
        click.echo(f"  {plain(result.title)}")
    words = len(result.text.split())
    click.echo(f"  {words} words, {len(result.quotes)} quotes, {len(result.highlights)} highlights")
    if result.highlights:
        click.echo("  Highlights")
        for h in result.highlights:
            click.echo(f"    ({h.kind}) {plain(h.text)}")
    if result.quotes:
        click.echo("  Quotes")
        for q in result.quotes:
            who = speaker_label(q.speaker, q.speaker_title) or "unknown"
            click.echo(f"    {plain(who)}: “{plain(q.text)}”")
    if result.topics:
        click.echo("  Topics")
        for t in result.topics:
            score = "" if t.score is None else f" {t.score:.2f}"
            click.echo(f"    {plain(t.name)} ({t.source}{score})")
    click.echo()


@click.command("reanalyze")
@click.pass_obj
def reanalyze_command(ctx: Any) -> None:
    """Re-run analysis over every story in the library (after an upgrade)."""
    from app.analysis import pipeline

    library = ctx.library
    ids = library.story_ids()
    step = max(1, len(ids) // 100)
    show_progress = sys.stderr.isatty()  # as `byline refresh`: a live line, never a log

    def progress(done: int, total: int) -> None:
        if show_progress and (done % step == 0 or done == total):
            click.echo(f"\r\x1b[Kanalysing [{done}/{total}]", err=True, nl=False)

    report = pipeline.analyse_stories(library, ids, progress=progress)
    if show_progress:
        click.echo("\r\x1b[K", err=True, nl=False)
    click.echo(
        f"reanalysed {report.analysed} stories: {report.quotes} quotes, "
        f"{report.highlights} highlights, {report.topics} topics"
        + (f", {len(report.failed)} failed" if report.failed else "")
    )
    if report.failed:
        raise click.exceptions.Exit(1)


@click.group("topic")
def topic_group() -> None:
    """Topics: tags that find their own stories with a rule."""


@topic_group.command("add")
@click.argument("name")
@click.option(
    "--rule", "rule", required=True, help='Boolean rule: AND, OR, NOT, (…), "phrases", prefix*.'
)
@click.pass_obj
def topic_add(ctx: Any, name: str, rule: str) -> None:
    """Add a topic (or change its rule) and apply it to the whole library."""
    from app.analysis.pipeline import apply_topic_rule
    from app.analysis.topics.rules import RuleError, compile_rule

    name = plain(name).strip()
    if not name:
        raise UserFacingError("a topic needs a name")
    try:
        compiled = compile_rule(rule)
    except RuleError as exc:
        raise UserFacingError(f"bad rule: {exc}") from None
    library = ctx.library
    library.set_topic_rule(name, compiled.expr)
    count = apply_topic_rule(library, name)
    click.echo(f"topic {name}: {count} {'story' if count == 1 else 'stories'} match")


@topic_group.command("remove")
@click.argument("name")
@click.pass_obj
def topic_remove(ctx: Any, name: str) -> None:
    """Remove a topic and take it off its stories."""
    library = ctx.library
    if not any(t.name.lower() == name.lower() for t in library.topics()):
        raise UserFacingError(f"no topic named {name!r}")
    library.remove_tag(name)
    click.echo(f"removed topic {name}")


@topic_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
def topic_list(ctx: Any, as_json: bool) -> None:
    """List topics with their rules and story counts."""
    topics = ctx.library.topics()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "name": t.name,
                        "rule": t.rule,
                        "stories": t.story_count,
                        "unread": t.unread_count,
                        "suggested": t.suggested_count,
                    }
                    for t in topics
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for t in topics:
        click.echo(
            f"{plain(t.name)}  ({t.story_count} stories, {t.unread_count} unread)  "
            f"rule: {plain(t.rule or '')}"
        )
    if not topics:
        click.echo("no topics yet: byline topic add NAME --rule EXPR", err=True)


@click.command("tag")
@click.argument("story_id", type=int)
@click.argument("tags", nargs=-1, required=True)
@click.pass_obj
def tag_command(ctx: Any, story_id: int, tags: tuple[str, ...]) -> None:
    """Put tags on a story."""
    library = ctx.library
    library.get_story(story_id)  # a clear error for an unknown id
    names = [plain(t).strip() for t in tags]
    if not all(names):
        raise UserFacingError("a tag needs a name")
    for name in names:
        library.tag_story(story_id, name, "user")
    click.echo(f"story {story_id}: tagged {', '.join(names)}")


@click.command("untag")
@click.argument("story_id", type=int)
@click.argument("tags", nargs=-1, required=True)
@click.pass_obj
def untag_command(ctx: Any, story_id: int, tags: tuple[str, ...]) -> None:
    """Take tags off a story (automation will not put them back)."""
    library = ctx.library
    library.get_story(story_id)
    removed: list[str] = []
    absent: list[str] = []
    for name in tags:
        (removed if library.untag_story(story_id, name) else absent).append(plain(name))
    if removed:
        click.echo(f"story {story_id}: untagged {', '.join(removed)}")
    if absent:
        click.echo(f"story {story_id} had no tag {', '.join(absent)}", err=True)


COMMANDS = [analyze_command, reanalyze_command, topic_group, tag_command, untag_command]
