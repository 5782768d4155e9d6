"""Refresh end to end: a real local server, a real library file."""

from __future__ import annotations

from pathlib import Path

from app.config import Settings
from app.ingest.refresh import FeedResult, refresh, refresh_sync
from storage import Library
from tests.support.feedserver import FeedServer, feed_server_fixture  # noqa: F401


def rss(*items: tuple[str, str], title: str = "Wire") -> str:
    body = "".join(
        f"<item><guid>{guid}</guid><title>{text}</title><link>https://w.example/{guid}</link>"
        f"<description>{text} body</description></item>"
        for guid, text in items
    )
    return f"<rss version='2.0'><channel><title>{title}</title>{body}</channel></rss>"


def settings() -> Settings:
    return Settings(timeout=0.5, concurrency=8, per_host=4, max_bytes=1 << 20)


def test_refresh_stores_stories_then_asks_conditionally(
    library: Library, feed_server: FeedServer
) -> None:
    url = feed_server.feed("/wire", rss(("1", "Alpha"), ("2", "Beta")))
    feed = library.add_feed(url)
    report = refresh_sync(library, settings())
    assert report.summary() == "1 feed: 1 ok, 0 failed; 2 new, 0 updated stories"
    (result,) = report.results
    assert (result.feed_id, result.status, len(result.new_ids)) == (feed.id, "ok", 2)
    stored = library.get_feed(feed.id)
    assert stored.title == "Wire" and stored.last_status == "ok" and stored.etag
    assert library.count_stories(query="alpha") == 1

    again = refresh_sync(library, settings())
    assert again.results[0].status == "not modified"
    assert (again.stories_new, again.stories_updated) == (0, 0)
    second = feed_server.requests_to("/wire")[1]
    assert second.headers["if-none-match"] == stored.etag
    assert second.status == 304
    assert library.get_feed(feed.id).etag == stored.etag  # a 304 keeps the validators


def test_a_changed_story_is_updated_in_place(library: Library, feed_server: FeedServer) -> None:
    url = feed_server.feed("/change", rss(("1", "Draft"), ("2", "Other")))
    feed = library.add_feed(url)
    first = refresh_sync(library, settings())
    story_id = first.results[0].new_ids[0]
    library.set_read(story_id)
    feed_server.feed("/change", rss(("1", "Final"), ("2", "Other"), ("3", "New")))
    report = refresh_sync(library, settings())
    (result,) = report.results
    assert result.updated_ids == [story_id]
    assert len(result.new_ids) == 1
    story = library.get_story(story_id)
    assert story.title == "Final" and story.read
    assert library.count_stories(feed_id=feed.id) == 3


def test_permanent_redirect_updates_the_stored_url(
    library: Library, feed_server: FeedServer
) -> None:
    new = feed_server.feed("/moved-here", rss(("1", "A")))
    perm = library.add_feed(feed_server.redirect("/moved", "/moved-here", 301))
    temp = library.add_feed(feed_server.redirect("/visiting", "/moved-here", 302))
    report = refresh_sync(library, settings())
    assert [r.status for r in report.results] == ["ok", "ok"]
    assert library.get_feed(perm.id).url == new
    assert library.get_feed(temp.id).url == feed_server.url("/visiting")


def test_failures_are_recorded_per_feed_and_do_not_stop_the_others(
    library: Library, feed_server: FeedServer
) -> None:
    good = library.add_feed(feed_server.feed("/good", rss(("1", "A"))))
    missing = library.add_feed(feed_server.url("/nope"))
    page = library.add_feed(
        feed_server.feed("/page", "<!doctype html><html><body>Home</body></html>")
    )
    report = refresh_sync(library, settings())
    by_id = {r.feed_id: r for r in report.results}
    assert by_id[good.id].status == "ok"
    assert by_id[missing.id].error == "HTTP 404 Not Found"
    assert by_id[page.id].error == "not a feed: the page is HTML"
    assert report.summary() == "3 feeds: 1 ok, 2 failed; 1 new, 0 updated stories"
    assert not report.nothing_fetched
    stored = library.get_feed(page.id)
    assert (stored.last_status, stored.last_error) == ("error", "not a feed: the page is HTML")
    # A page that failed to parse keeps no validators, so the next refresh asks again in full.
    assert stored.etag is None
    assert [r.feed_id for r in report.results] == [good.id, missing.id, page.id]


def test_every_feed_failing_is_nothing_fetched(library: Library, feed_server: FeedServer) -> None:
    library.add_feed(feed_server.url("/gone"))
    report = refresh_sync(library, settings())
    assert report.nothing_fetched
    assert report.to_json()["failed"] == 1


def test_local_files_are_read_from_disk(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "local.xml"
    path.write_text(rss(("a", "Local one")), encoding="utf-8")
    feed = library.add_feed(str(path))
    assert refresh_sync(library, settings()).results[0].new_ids
    assert refresh_sync(library, settings()).results[0].status == "not modified"
    path.write_text(rss(("a", "Local one"), ("b", "Local two")), encoding="utf-8")
    report = refresh_sync(library, settings())
    assert len(report.results[0].new_ids) == 1
    assert library.count_stories(feed_id=feed.id) == 2


async def test_hooks_see_each_feed(library: Library, feed_server: FeedServer) -> None:
    one = library.add_feed(feed_server.feed("/one", rss(("1", "A"), ("2", "B"))))
    two = library.add_feed(feed_server.feed("/two", rss(("1", "C"))))
    stored: dict[int, tuple[list[int], list[int]]] = {}
    seen: list[tuple[int, int, int]] = []

    def on_stored(feed_id: int, new: list[int], updated: list[int]) -> None:
        stored[feed_id] = (new, updated)

    def progress(result: FeedResult, done: int, total: int) -> None:
        seen.append((result.feed_id, done, total))

    report = await refresh(library, settings(), progress=progress, on_stored=on_stored)
    assert {k: len(v[0]) for k, v in stored.items()} == {one.id: 2, two.id: 1}
    assert sorted(r.new_ids[0] for r in report.results) == sorted(v[0][0] for v in stored.values())
    assert sorted(d for _, d, _ in seen) == [1, 2] and {t for *_, t in seen} == {2}


def test_refresh_only_the_chosen_feeds(library: Library, feed_server: FeedServer) -> None:
    chosen = library.add_feed(feed_server.feed("/chosen", rss(("1", "A"))))
    library.add_feed(feed_server.feed("/other", rss(("1", "B"))))
    report = refresh_sync(library, settings(), feeds=[chosen.id])
    assert [r.feed_id for r in report.results] == [chosen.id]
    assert feed_server.requests_to("/other") == []


def test_repeated_items_in_one_feed_count_once(library: Library, feed_server: FeedServer) -> None:
    library.add_feed(feed_server.feed("/dup", rss(("1", "A"), ("1", "A again"))))
    report = refresh_sync(library, settings())
    assert (report.stories_new, report.stories_updated) == (1, 0)


def test_hostile_strings_are_stored_literal_or_stripped(
    library: Library, feed_server: FeedServer
) -> None:
    body = rss(("x", "[bold]x[/] \x1b[2Jgone"), title="\x1b]0;pwn\x07Evil\u202e")
    feed = library.add_feed(feed_server.feed("/hostile", body))
    (result,) = refresh_sync(library, settings()).results
    story = library.get_story(result.new_ids[0])
    assert story.title == "[bold]x[/] gone"
    assert library.get_feed(feed.id).title == "Evil"


def test_a_feed_that_renames_itself_is_shown_by_its_new_title(
    library: Library, feed_server: FeedServer
) -> None:
    own = feed_server.feed("/own", rss(("1", "A"), title="Harbour Post"))
    named = feed_server.feed("/named", rss(("1", "A"), title="Harbour Post"))
    followed = library.add_feed(own)
    kept = library.add_feed(named, title="My harbour news")
    refresh_sync(library, settings())
    assert library.get_feed(followed.id).title == "Harbour Post"

    feed_server.feed("/own", rss(("1", "A"), title="The Harbour Post & Courier"))
    feed_server.feed("/named", rss(("1", "A"), title="The Harbour Post & Courier"))
    refresh_sync(library, settings())
    assert library.get_feed(followed.id).title == "The Harbour Post & Courier"
    assert library.get_feed(kept.id).title == "My harbour news"  # the user's name stays
