"""An HTML page as a tree of elements, built safely: at most ``MAX_TAGS`` elements (else ``TooManyTags``) and at
most ``MAX_DEPTH`` deep (deeper elements are kept as part of their ancestor), unclosed <p>, <li>, <dt>/<dd>, <tr>
and cells closed by the next one as browsers do. No DTD, no entities beyond HTML's own character references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

MAX_TAGS = 50_000
MAX_DEPTH = 256
VOID = {"br", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
SKIP = {"script", "style", "noscript", "template", "svg", "nav", "form", "button", "select", "iframe", "head"}
CLOSES = {"p": {"p"}, "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr"}, "td": {"td", "th"},
          "th": {"td", "th"}}  # fmt: skip
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


class TooManyTags(ValueError):
    pass


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)
    has_block: bool | None = None


@dataclass
class Page:
    title: str = ""
    heading: str = ""  # the first <h1>
    canonical: str | None = None
    root: Node = field(default_factory=lambda: Node("root", {}))


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[Node] = [self.page.root]
        self.tags = 0
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if self.tags > MAX_TAGS:
            raise TooManyTags
        attributes = dict(attrs)
        if tag == "title":
            self.in_title = True
        if tag == "link" and attributes.get("rel") == "canonical":
            self.page.canonical = attributes.get("href")
        if tag in CLOSES:
            self._close_open(tag)
        node = Node(tag, attributes)
        self.stack[-1].children.append(node)
        if tag not in VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def _close_open(self, tag: str) -> None:
        """An open <p>, <li>, <dt>/<dd>, <tr> or cell is closed by the next one (as browsers do)."""
        for depth in range(len(self.stack) - 1, max(0, len(self.stack) - 4), -1):
            name = self.stack[depth].tag
            if name in CLOSES[tag]:
                del self.stack[depth:]
                return
            if name in ("ul", "ol", "dl", "table", "div"):
                return

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if self.tags > MAX_TAGS:
            raise TooManyTags
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page.title += data
        else:
            self.stack[-1].children.append(data)


def parse_html(html: str) -> Page:
    """The page's element tree (raises TooManyTags beyond MAX_TAGS)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.page


def hidden(node: Node) -> bool:
    attrs = node.attrs
    return (
        node.tag in SKIP
        or "hidden" in attrs
        or (attrs.get("aria-hidden") or "").lower() == "true"
        or bool(HIDDEN_STYLE.search(attrs.get("style") or ""))
    )
