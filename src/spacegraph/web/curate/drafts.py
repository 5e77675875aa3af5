"""Drafts of editions a curator is adding: kept on the server under ``VAR/drafts/ID/`` (the page as uploaded or
pasted, and ``draft.json`` with the form's state), never in the session cookie.

A draft remembers the graph it will write and that graph's version when the draft was made, so that a save can
tell whether somebody else changed the graph meanwhile (``spacegraph.write.history.changed_since``).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from spacegraph.settings import Settings
from spacegraph.web.curate.accounts import write_private

DRAFT_ID = re.compile(r"[0-9a-f]{16}")


@dataclass
class Draft:
    id: str
    owner: str  # the curator who started it
    filename: str  # the page's file name ("" for a blank form)
    name: str  # the graph's name: data/graphs/NAME.trig
    graph: str
    version: str  # the graph's version when the draft was made (``history.version_of``)
    text: str  # the page's text, as the importer read it (the evidence spans are offsets into it)
    events: list[dict[str, Any]]  # the form's state (``edition_form``)
    replaces: str | None = None  # another source's graph that committing replaces (needs the curator's consent)
    source: str = ""  # where the facts come from, for a blank form (an address, or a description)
    warnings: list[str] = field(default_factory=list)  # what the importer warned of when it read the page
    note: str = ""  # what the curator should know about this form
    created: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))

    @staticmethod
    def new_id() -> str:
        return secrets.token_hex(8)


def folder(settings: Settings, draft_id: str) -> Path:
    if not DRAFT_ID.fullmatch(draft_id):
        raise LookupError(f"no draft {draft_id!r}")
    return settings.var_dir / "drafts" / draft_id


def page_path(settings: Settings, draft_id: str, filename: str) -> Path:
    """Where a draft keeps its page: under its own folder, by the file's own name only (no directories)."""
    return folder(settings, draft_id) / Path(filename).name


def save(settings: Settings, draft: Draft) -> None:
    write_private(folder(settings, draft.id) / "draft.json", json.dumps(asdict(draft), ensure_ascii=False))


def load(settings: Settings, draft_id: str) -> Draft:
    """The draft ``draft_id``; LookupError when there is none."""
    path = folder(settings, draft_id) / "draft.json"
    try:
        return Draft(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError as error:
        raise LookupError(f"no draft {draft_id!r}") from error


def page_bytes(settings: Settings, draft: Draft) -> bytes:
    return page_path(settings, draft.id, draft.filename).read_bytes() if draft.filename else b""


def keep_committed(settings: Settings, draft: Draft, version: str) -> None:
    """Keep a committed draft as the form of its graph at ``version`` (``VAR/drafts/committed/NAME/``), for the
    next curator who edits that edition in the browser."""
    draft.version = version
    save(settings, draft)
    kept = settings.var_dir / "drafts" / "committed" / draft.name
    shutil.rmtree(kept, ignore_errors=True)
    kept.parent.mkdir(parents=True, exist_ok=True)
    os.replace(folder(settings, draft.id), kept)


def reopen(settings: Settings, name: str, version: str, owner: str) -> Draft | None:
    """A new draft from the form last committed for the graph ``name``, if the graph is still at that ``version``
    (else None: it changed since, elsewhere, and the form would undo that change)."""
    kept = settings.var_dir / "drafts" / "committed" / name
    try:
        draft = Draft(**json.loads((kept / "draft.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if draft.version != version:
        return None
    draft.id, draft.owner = Draft.new_id(), owner
    shutil.copytree(kept, folder(settings, draft.id))
    save(settings, draft)
    return draft
