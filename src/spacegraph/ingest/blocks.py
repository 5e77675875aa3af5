"""An HTML page read into blocks that keep its structure, rendered one block per line.

A block is a heading, a paragraph line, a list item, a table row, a <dt> with its <dd>s, or a card (a speaker's
box: a name, then short lines for title, organisation, role and talk). Each is one line of the rendition, so the
line reader reads it as one entry: a list item, a row, a term with its definitions and a card whose first part is
a person become "• NAME, Title, Organisation, “Talk”" (parts joined by ", ", a quoted talk last); with a role tag
("Panelist · Session 2") they become "Panelist: NAME, …" (no bullet: a labelled line, as a page would print it),
the tag's other pieces on a line after it; a label <dt> ("09:30 — Opening", "Moderated by") goes before its <dd>s
with ": ".
Italic (<i>, <em>, <cite>) text in an entry is put in quotes (a talk title); struck text (<s>, <del>) is dropped.
Script, style, navigation, forms and hidden elements (``hidden``, ``aria-hidden="true"``, ``display:none``) are
not read: a reader of the page does not see them. Every block keeps its offsets into the rendition, which is the
text evidence spans index into.

The work is linear in the page: the tree is at most ``MAX_TAGS`` elements (else the page is refused) and at most
``MAX_DEPTH`` deep (deeper elements are read as part of their ancestor); the walk uses an explicit stack.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacegraph.ingest.html_tree import Node, Page, hidden
from spacegraph.ingest.tables import row_entries
from spacegraph.names.organisations import has_organisation_word, has_title_word
from spacegraph.names.split import looks_like_person

BLOCK = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "tr", "table", "thead", "tbody", "tfoot", "blockquote", "dd", "dt", "dl", "hr", "figure",
    "figcaption", "address", "caption", "td", "th", "body", "html", "details", "summary", "pre",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ITALIC = {"i", "em", "cite"}
STRUCK = {"s", "del", "strike"}
CARD_CHARS = 600  # a card is a speaker's box, not a section
CARD_PARTS = 8
ROLE_LABEL = re.compile(
    r"^(?:opening|closing|welcome|welcoming|concluding|introductory|keynote|moderat\w*|panel+ists?|chair\w*|"
    r"co-chair\w*|speakers?|presenters?|discussants?|respondents?|rapporteurs?|host|facilitat\w*)\b",
    re.I,
)
BREAK = "\x00"  # a line break in inline text (a page holding NUL is refused before it is parsed)
SENTENCE = re.compile(r"\b[a-z]+[.!?]$|^\w+ (?i:to (?:follow|come|be announced))\b")
PERSON_CLASS = re.compile(r"speaker|person|people|profile|bio|member|spk|panel|author|presenter|participant", re.I)
NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÞĀ-ſ][\w'’.-]*|[a-zà-ÿ]{1,5})$")
TAG_SEPARATOR = re.compile(r"\s+[·|•]\s+|\s*;\s*")
TALK_LABEL = re.compile(r"^[^“”\",]{1,40}:\s*(?=[“\"][^“”\"]+[”\"]$)")  # "Short presentation: “Title”" -> the title


@dataclass(frozen=True)
class Block:
    """One line of the rendition: its kind, its offsets, and the offsets of its parts (cells, <dd>s, card lines)."""

    kind: str  # "heading", "paragraph", "item", "row", "term", "card"
    start: int
    end: int
    level: int = 0  # a heading's level
    parts: tuple[tuple[int, int], ...] = ()


def inline_text(node: Node, quote_italics: bool = False) -> list[str]:
    """The visible text of ``node`` as lines (split at <br> and at block elements), whitespace collapsed."""
    lines: list[str] = [""]
    stack: list[Node | str] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            lines[-1] += item if item in (BREAK, "“", "”") else re.sub(r"\s+", " ", item)
            continue
        if item is not node and (hidden(item) or item.tag in STRUCK):
            continue
        if item.tag == "br" or (item is not node and item.tag in BLOCK):
            lines[-1] += BREAK
        quote = quote_italics and item.tag in ITALIC
        stack.append("”" if quote else "")
        if item.tag in BLOCK and item is not node:
            stack.append(BREAK)
        stack.extend(reversed(item.children))
        if quote:
            stack.append("“")
    text = "".join(lines).replace("\n", " ").replace(BREAK, "\n")
    text = re.sub(r"“\s*([\"“”])|([\"“”])\s*”", lambda m: m.group(1) or m.group(2), text)
    return [tidy for line in text.split("\n") if (tidy := " ".join(line.split()))]


def name_like(text: str) -> bool:
    """Two to six words that could be a name (honorifics and "(ret.)" aside): capitalised words and at most two
    short lower-case particles ("binti", "van", "de"), no digits and no punctuation but hyphens and apostrophes."""
    words = [w for w in re.sub(r"\((?:ret|retd|hon)\.?\)", " ", text).split() if not w.endswith(".")]
    lower = [w for w in words if w[:1].islower()]
    return (
        2 <= len(words) <= 6
        and all(NAME_WORD.match(w) for w in words)
        and len(lower) <= 2
        and words[0][:1].isupper()
        and words[-1][:1].isupper()
    )


def _has_block(node: Node) -> bool:
    """Whether a block element is inside ``node`` (worked out once per node: the tree is at most MAX_DEPTH deep)."""
    if node.has_block is None:
        node.has_block = any(isinstance(c, Node) and (c.tag in BLOCK or _has_block(c)) for c in node.children)
    return node.has_block


class Renderer:
    """Walks the tree and writes one line per block."""

    def __init__(self, person: Callable[[str], bool] = looks_like_person) -> None:
        self.lines: list[str] = []
        self.blocks: list[Block] = []
        self.offset = 0
        self.person = person

    def emit(
        self, kind: str, parts: list[str], sep: str = ", ", prefix: str = "", level: int = 0, label: str = ""
    ) -> None:
        parts = [p for p in parts if p]
        if not parts:
            return
        if label:
            parts = [label, *parts]
        line, spans = prefix, []
        for i, part in enumerate(parts):
            if i:
                line += ": " if label and i == 1 else sep
            spans.append((self.offset + len(line), self.offset + len(line) + len(part)))
            line += part
        self.blocks.append(Block(kind, self.offset, self.offset + len(line), level, tuple(spans)))
        self.lines.append(line)
        self.offset += len(line) + 1

    def walk(self, root: Node) -> None:
        stack: list[Node | str] = [root]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                if item.strip():
                    self.emit("paragraph", [" ".join(item.split())])
                continue
            if item is not root and hidden(item):
                continue
            if not self._block(item):
                stack.extend(reversed(self._runs(item)))

    def _runs(self, node: Node) -> list[Node | str]:
        """The children of a container, with consecutive inline children gathered into one anonymous paragraph."""
        out: list[Node | str] = []
        run: list[Node | str] = []
        for child in node.children:
            if isinstance(child, str) or (child.tag not in BLOCK and not _has_block(child)):
                run.append(child)
                continue
            if any(not isinstance(c, str) or c.strip() for c in run):
                out.append(Node("p", {}, run))
            run = []
            out.append(child)
        if any(not isinstance(c, str) or c.strip() for c in run):
            out.append(Node("p", {}, run))
        return out

    def _block(self, node: Node) -> bool:
        """Renders ``node`` if it is a block of its own (True), else its children are walked (False)."""
        tag = node.tag
        if tag in HEADINGS:
            for line in inline_text(node):
                self.emit("heading", [line], level=int(tag[1]))
            return True
        if tag == "li" and not any(isinstance(c, Node) and c.tag in ("ul", "ol", "dl", "table") for c in node.children):
            self._entry("item", inline_text(node, quote_italics=True))
            return True
        if tag == "dl":
            self._definitions(node)
            return True
        if tag == "table":
            self._table(node)
            return True
        if tag in ("div", "article", "section", "li", "aside") and self._card(node):
            return True
        if tag in BLOCK and not _has_block(node):
            for line in inline_text(node):
                self.emit("paragraph", [line])
            return True
        return False

    def _entry(self, kind: str, parts: list[str], label: str = "") -> None:
        """An entry: "Role: NAME, Title, Organisation, “Talk”" when a part is a role tag ("Panelist · Day 2": its
        other pieces go on a line of their own after it), else "• NAME, Title, Organisation, “Talk”"."""
        parts = [p if not i or ROLE_LABEL.match(p) else TALK_LABEL.sub("", p) for i, p in enumerate(parts) if p]
        after: list[str] = []
        if not label:
            labels = [i for i, p in enumerate(parts) if i and ROLE_LABEL.match(p) and len(p) <= 80 and ", " not in p]
            if labels:
                i = labels[-1]
                label, parts = parts[i], parts[:i] + parts[i + 1 :]
                if ": " in label:  # "Keynote: “Title”" -> the role first, the talk last
                    label, talk = label.split(": ", 1)
                    parts.append(talk)
                pieces = [piece.strip() for piece in TAG_SEPARATOR.split(label) if piece.strip()]
                label = ", ".join(piece for piece in pieces if ROLE_LABEL.match(piece))
                after = [piece for piece in pieces if not ROLE_LABEL.match(piece)]
        parts = sorted(parts, key=lambda p: p.endswith(("”", '"')))  # a talk title last, where readers look for it
        self.emit(kind, parts, prefix="" if label else "• ", label=label if parts else "")
        if after:
            self.emit("paragraph", after, sep=" · ")

    def _definitions(self, node: Node) -> None:
        """Each <dt> with the <dd>s after it is one line: "• NAME, dd, dd" or "• label: dd, dd"."""
        groups: list[tuple[list[str], list[str]]] = []
        for child in node.children:
            if not isinstance(child, Node) or hidden(child):
                continue
            if child.tag == "div":  # <dl><div><dt/><dd/></div></dl>
                self._definitions(child)
                continue
            text = inline_text(child, quote_italics=True)
            if child.tag == "dt" or not groups:
                groups.append((text, []))
            else:
                groups[-1][1].extend(text)
        for term, definitions in groups:
            name = " ".join(term)
            if not definitions:
                self.emit("paragraph", [name])
            elif self.person(name):
                self._entry("term", [name, *definitions])
            elif ROLE_LABEL.match(definitions[0]):  # "15:30 Round table" / "Moderator: NAME": the label on its own
                self.emit("paragraph", [name])
                self._entry("term", definitions)
            else:
                self._entry("term", definitions, label=name)

    def _table(self, node: Node) -> None:
        rows: list[list[str]] = []
        header: list[str] | None = None
        stack: list[Node | str] = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, str) or hidden(item):
                continue
            if item.tag == "tr":
                cells = [c for c in item.children if isinstance(c, Node) and c.tag in ("td", "th")]
                texts = [_cell_text(inline_text(c, quote_italics=True)) for c in cells if not hidden(c)]
                if header is None and not rows and cells and all(c.tag == "th" for c in cells):
                    header = texts
                else:
                    rows.append(texts)
                continue
            if item.tag == "caption":
                self.emit("heading", inline_text(item), level=6)
                continue
            stack.extend(reversed(item.children))
        if header:
            self.emit("row", header, sep=" | ")
        for row in rows:
            emit_row(self, header, row)

    def _card(self, node: Node) -> bool:
        """A speaker's box: short leaf lines under one container, the first of them a person's name."""
        leaves: list[Node] = []
        stack: list[Node | str] = list(reversed(self._runs(node)))
        while stack:
            item = stack.pop()
            if isinstance(item, str) or hidden(item):
                continue
            if item.tag in ("ul", "ol", "dl", "table") or len(leaves) > CARD_PARTS:
                return False
            if _has_block(item):
                stack.extend(reversed(self._runs(item)))
            else:
                leaves.append(item)
        parts = [line for leaf in leaves for line in inline_text(leaf, quote_italics=True)]
        if len(parts) < 2 or len(parts) > CARD_PARTS or sum(map(len, parts)) > CARD_CHARS:
            return False
        headings = sum(leaf.tag in HEADINGS for leaf in leaves)
        if headings > 1 or (not headings and sum(map(self.person, parts)) > 1):
            return False  # several people's boxes: each is read on its own
        hint = PERSON_CLASS.search(" ".join(str(n.attrs.get("class") or "") for n in (node, *leaves)))
        described = any(has_title_word(p) or has_organisation_word(p) or ROLE_LABEL.match(p) for p in parts[1:])
        if not ((hint and name_like(parts[0])) or (self.person(parts[0]) and described)):
            return False
        entry = [p for p in parts if not SENTENCE.search(p)]
        self._entry("card", entry)
        for sentence in parts:
            if sentence not in entry:
                self.emit("paragraph", [sentence])
        return True


def _cell_text(lines: list[str]) -> str:
    """A cell's lines joined: by "; " when each begins a person's entry (several people in one cell, a <br> apart),
    else by spaces ("Dr. Ana Lind<br>Director, Fjord Radar" is one person)."""
    people = len(lines) > 1 and all(looks_like_person(re.split(r"[,(]", line)[0].strip()) for line in lines)
    return ("; " if people else " ").join(lines)


def emit_row(renderer: Renderer, header: list[str] | None, row: list[str]) -> None:
    """A table row: as an entry ("• Role: Name, Title, Organisation, “Talk”") when the header names those columns,
    else its cells joined by " | " (", " when the row starts with a person's name)."""
    cells = [c if c.strip(" –—-") else "" for c in row]
    entries = row_entries(header, cells) if header else None
    if entries is not None:
        for label, parts in entries:  # one per person named in the row
            renderer._entry("row", parts, label=label)
    elif cells and any(cells) and renderer.person(next(c for c in cells if c)):
        renderer.emit("row", cells, prefix="• ")
    else:
        renderer.emit("row", cells, sep=" | ")


def render(page: Page) -> tuple[str, list[Block]]:
    """The rendition of a parsed page: one line per block, and the blocks."""
    renderer = Renderer()
    renderer.walk(page.root)
    return "\n".join(renderer.lines) + "\n", renderer.blocks
