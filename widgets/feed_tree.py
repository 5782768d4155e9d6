"""Feeds and topics: where stories come from, with unread counts.

Each node carries a `StorySource`, a plain description of a filter the screen turns into a
library query. Labels are built from plain strings, never parsed as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from storage.models import Feed
from widgets.safe import clean


@dataclass(frozen=True, slots=True)
class StorySource:
    """A set of stories: everything, a feed, a tag or topic, a (saved) search."""

    kind: str  # all | unread | saved | feed | tag | search
    title: str
    feed_id: int | None = None
    tag: str | None = None
    query: str | None = None

    def filters(self) -> dict[str, object]:
        """Keyword arguments for `Library.list_stories` / `count_stories`."""
        if self.kind == "unread":
            return {"unread": True}
        if self.kind == "saved":
            return {"saved": True}
        if self.kind == "feed":
            return {"feed_id": self.feed_id}
        if self.kind == "tag":
            return {"tags": [self.tag]}
        if self.kind == "search":
            return {"query": self.query}
        return {}


@dataclass(frozen=True, slots=True)
class TagCount:
    name: str
    unread: int
    total: int
    topic: bool = False


ALL = StorySource("all", "All stories")


def _label(title: str, unread: int | None = None, style: str = "") -> Text:
    label = Text(clean(title) or "(untitled)", style=style, no_wrap=True, overflow="ellipsis")
    if unread:
        label.append(f" {unread}", style="bold")
    return label


class FeedTree(Tree[StorySource]):
    """All stories, unread, saved, then feeds, topics and tags, and saved searches."""

    DEFAULT_CSS = """
    FeedTree { scrollbar-size-vertical: 1; }
    """
    # j/k move here as they do in the list, the reader and the panes.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="tree.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree.up"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(Text("Library"), data=ALL, id=id, classes=classes)
        self.show_root = False
        self.guide_depth = 2

    def process_label(self, label: str | Text) -> Text:
        # Feed titles are data: a str label must never go through the markup parser.
        text = Text(label) if isinstance(label, str) else label
        return text.split()[0] if text.plain else text

    def populate(
        self,
        feeds: list[Feed],
        tags: list[TagCount],
        searches: list[tuple[str, str]],
        *,
        total_unread: int,
        saved: int,
        selected: StorySource | None = None,
    ) -> None:
        """Rebuild the tree; the node for `selected` (if still there) keeps the cursor."""
        self.clear()
        root = self.root
        nodes: list[TreeNode[StorySource]] = [
            root.add_leaf(_label("All stories", total_unread), data=ALL),
            root.add_leaf(_label("Unread", total_unread), data=StorySource("unread", "Unread")),
            root.add_leaf(_label("Saved", saved), data=StorySource("saved", "Saved")),
        ]
        feeds_node = root.add(Text("Feeds", style="bold"), expand=True)
        for feed in feeds:
            source = StorySource("feed", clean(feed.display_title), feed_id=feed.id)
            style = "red" if feed.last_status == "error" else ""
            nodes.append(
                feeds_node.add_leaf(_label(source.title, feed.unread_count, style), source)
            )
        topics = [t for t in tags if t.topic]
        plain_tags = [t for t in tags if not t.topic and t.total]
        if topics:
            topics_node = root.add(Text("Topics", style="bold"), expand=True)
            for tag in topics:
                source = StorySource("tag", clean(tag.name), tag=tag.name)
                nodes.append(topics_node.add_leaf(_label(source.title, tag.unread), source))
        if plain_tags:
            tags_node = root.add(Text("Tags", style="bold"), expand=True)
            for tag in plain_tags:
                source = StorySource("tag", clean(tag.name), tag=tag.name)
                nodes.append(tags_node.add_leaf(_label("#" + source.title, tag.unread), source))
        if searches:
            searches_node = root.add(Text("Searches", style="bold"), expand=True)
            for name, query in searches:
                source = StorySource("search", clean(name), query=query)
                nodes.append(searches_node.add_leaf(_label("⌕ " + source.title), source))
        if selected is not None:
            for node in nodes:
                if node.data == selected:
                    self.move_cursor(node)
                    break
