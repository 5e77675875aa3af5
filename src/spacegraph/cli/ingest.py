"""Commands that record new editions: ingest and review."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from spacegraph.cli import _fail, _settings, cli


class _Stop(Exception):
    """Ingest stops: ``message`` goes to stderr (and into the JSON document), then exit ``code``."""

    def __init__(self, message: str, code: int = 1, path: Path | None = None) -> None:
        super().__init__(message)
        self.code, self.path = code, path


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would be committed; write nothing.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print what was understood as JSON: stdout holds only that document (a list of them for several pages), "
    "whatever happens; messages, warnings and violations go to stderr.",
)
@click.option("--yes", is_flag=True, help="Commit without asking.")
@click.option("--series", help="The series the events belong to [default: as the page names it, or the only one].")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace an edition's graph recorded from another source document (e.g. a curated edition).",
)
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    dry_run: bool,
    as_json: bool,
    yes: bool,
    series: str | None,
    replace: bool,
) -> None:
    """Read event pages (.txt, .md, .html, .pdf) into the graph, one validated named graph per page.

    Each page is parsed, its people and organisations resolved against the graph (doubtful matches go to
    `spacegraph review`), and its graph validated. Only if every page succeeds is anything written: each page
    to data/graphs/NAME.trig (its document to data/sources/) and to the store, together. Re-ingesting a page
    replaces its graph. NAME comes from the page's `source:` line or file name; a name that belongs to the
    registry, a proposal or another file is refused, and an edition's graph recorded from another source
    document (a curated edition, another address) is replaced only with --replace. A page from which no date,
    place or participant can be read is refused; a page that does not give one of them, or no topics, is
    reported with a warning. With --json, stdout holds only the JSON document: a page's events and warnings,
    its `validation` report when its graph does not conform, and an `error` when it was refused. Exit codes:
    0 done, 1 a page could not be read, is refused or does not conform, 2 other errors.

    \b
    Example:
      spacegraph ingest --dry-run --json page.html
      spacegraph ingest --yes data/sources/swf-2020-09-19-second-sino-us-space-commercialization-workshop.txt
    """
    documents: dict[Path, dict[str, Any]] = {}
    with _json_only(paths, documents, as_json):
        try:
            _run(ctx, paths, dry_run, as_json, yes, series, replace, documents)
        except _Stop as stop:
            for path in [stop.path] if stop.path else paths:
                documents.setdefault(path, _empty(path))["error"] = str(stop)
            click.echo(f"Error: {stop}", err=True)
            sys.exit(stop.code)


@contextlib.contextmanager
def _json_only(paths: tuple[Path, ...], documents: dict[Path, dict[str, Any]], as_json: bool) -> Iterator[None]:
    """With ``as_json``, whatever runs inside writes to stderr, and stdout gets the JSON document alone at the end
    (one page's document, or a list for several), whatever happened: an error is in the document too."""
    if not as_json:
        yield
        return
    stdout = sys.stdout
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    except SystemExit as exit_:
        if exit_.code not in (0, None):
            _blame(paths, documents, f"exit status {exit_.code}")
        raise
    except Exception as error:
        _blame(paths, documents, f"{type(error).__name__}: {error}")
        raise
    finally:
        pages = [documents.get(path) or _empty(path) for path in paths]
        stdout.write(json.dumps(pages[0] if len(pages) == 1 else pages, indent=2, ensure_ascii=False) + "\n")
        stdout.flush()


def _blame(paths: tuple[Path, ...], documents: dict[Path, dict[str, Any]], error: str) -> None:
    """An error no page's document names yet is every page's."""
    if not any("error" in d for d in documents.values()):
        for path in paths:
            documents.setdefault(path, _empty(path))["error"] = error


def _empty(path: Path) -> dict[str, Any]:
    return {"source": str(path), "events": [], "warnings": []}


def _run(ctx, paths, dry_run, as_json, yes, series, replace, documents) -> None:
    from spacegraph.store.open import data_version
    from spacegraph.store.oxigraph import StoreMissing
    from spacegraph.write import Writer

    settings = _settings(ctx)
    try:
        data_version(settings)
    except StoreMissing as error:
        raise _Stop(str(error), 2) from error
    with Writer(settings) as writer:
        if writer.recovered:
            click.echo(f"Recovered: {writer.recovered}", err=True)
        _ingest(writer, paths, dry_run, as_json, yes, series, replace, documents)


def _ingest(writer, paths, dry_run, as_json, yes, series, replace, documents) -> None:
    from spacegraph.ingest.documents import DocumentError
    from spacegraph.ingest.ingest_page import PreparedPage, check_replace, commit_page, prepare_page

    prepared: list[PreparedPage] = []
    for path in paths:
        try:
            page = prepare_page(path, writer, series)
        except (DocumentError, LookupError) as error:
            raise _Stop(f"{error}\nNothing was written.", 1, path) from error
        if other := next((p for p in prepared if p.name == page.name), None):
            raise _Stop(f"{path} and {other.path} both name the graph {page.name!r}: ingest one of them, or give "
                        "the other its own file name or `source:` line.\nNothing was written.", 1, path)  # fmt: skip
        prepared.append(page)
        documents[path] = _document(page)
        if as_json:
            for warning in page.report["warnings"]:
                click.echo(f"{path}: warning: {warning}", err=True)
        else:
            click.echo(_describe_page(page))
        if not page.validation.conforms:
            click.echo(page.validation.render(), err=as_json)
            raise _Stop(f"{path} does not conform to the shapes; nothing was written.", 1, path)
        try:
            check_replace(page, replace)
        except DocumentError as error:
            raise _Stop(f"{error}\nNothing was written.", 1, path) from error
    if dry_run:
        click.echo("Dry run: nothing was written.", err=True)
        return
    _commit(writer, prepared, yes, replace, commit_page)


def _document(page) -> dict[str, Any]:
    """The page's JSON document: the report, and the validation report when the graph does not conform."""
    document = dict(page.report)
    if not page.validation.conforms:
        document["validation"] = page.validation.as_dict()
    return document


def _commit(writer, prepared, yes, replace, commit_page) -> None:
    todo = [p for p in prepared if not p.unchanged]
    for page in prepared:
        if page.unchanged:
            click.echo(f"{page.path}: unchanged since it was last ingested; nothing to commit.", err=True)
    if not todo:
        return
    if not yes:
        if not sys.stdin.isatty():
            raise _Stop("not committing without confirmation: run again with --yes (or --dry-run to look first)", 2)
        click.confirm(f"Commit {len(todo)} page(s)?", abort=True, err=True)
    for page in todo:
        if page.replaces:
            click.echo(f"Replacing {page.replaces}.", err=True)
        commit_page(page, writer, replace)
        click.echo(f"Committed {page.path} as data/graphs/{page.name}.trig ({len(page.quads)} quads).", err=True)


def _describe_page(page) -> str:
    lines = [f"{page.path}:"]
    for event in page.report["events"]:
        when = event["start_date"] or "date not given"
        if event["end_date"]:
            when += f" to {event['end_date']}"
        where = ", ".join(x for x in (event["city"], event["country"]) if x) or "place not given"
        lines.append(f"  {event['name']} ({when}; {where}; {event['attendance_mode'] or 'attendance not given'})")
        sure = {k: v for k, v in event.get("confidence", {}).items() if k != "topics"}
        if sure:
            lines.append("    confidence: " + ", ".join(f"{k.replace('_', ' ')} {v:.2f}" for k, v in sure.items()))
        if event["hosts"]:
            lines.append(f"    hosts: {', '.join(event['hosts'])}")
        for extra in ("series", "co_located_with"):
            if event[extra]:
                lines.append(f"    {extra.replace('_', ' ')}: {event[extra]}")
        for p in event["participants"]:
            talk = f": “{p['talk_title']}”" if p["talk_title"] else ""
            org = f", {p['organization']}" if p["organization"] else ""
            sure = min([*p["confidence"].values(), 1.0])
            lines.append(f"    - {p['role']}: {p['name']}{org} [{p['match']}, sure {sure:.2f}]{talk}")
        for u in event.get("uncertain", []):
            lines.append(
                f"    ? {u['field']} “{u['printed']}” (confidence {u['confidence']:.2f}): for review, not written"
            )
    lines += [f"  warning: {w}" for w in page.report["warnings"]]
    return "\n".join(lines)


@cli.command()
@click.argument("action", type=click.Choice(["list", "accept", "reject"]), default="list")
@click.argument("item", required=False)
@click.option("--candidate", type=int, default=1, show_default=True, help="Which candidate to merge into (accept).")
@click.option("--json", "as_json", is_flag=True, help="List the pending items as JSON.")
@click.pass_context
def review(ctx: click.Context, action: str, item: str | None, candidate: int, as_json: bool) -> None:
    """List doubtful matches from ingest, and accept (merge) or reject them.

    \b
    Example:
      spacegraph review
      spacegraph review accept 3fa2c1d0 --candidate 1
      spacegraph review reject 3fa2c1d0
    """
    from spacegraph.ingest.review import ReviewError, ReviewList, decide
    from spacegraph.write import Writer

    settings = _settings(ctx)
    if action == "list":
        pending = ReviewList.load(settings.data).pending()
        if as_json:
            click.echo(json.dumps(pending, indent=2, ensure_ascii=False))
            return
        if not pending:
            click.echo("Nothing to review.")
        for entry in pending:
            click.echo(f"{entry['id']}  {entry['kind']} “{entry['printed']}” in <{entry['graph']}>")
            if entry["evidence"]:
                sure = entry["evidence"].get("confidence")
                click.echo(f"    evidence: “{entry['evidence'].get('text', '')}”"
                           + (f" (confidence {sure})" if sure is not None else ""))  # fmt: skip
            for n, c in enumerate(entry["candidates"], 1):
                click.echo(f"    candidate {n}: {c['name']} <{c['iri']}> (similarity {c['score']})")
        return
    if item is None:
        _fail(f"give the item to {action}: spacegraph review {action} ID")
    with Writer(settings) as writer:
        try:
            click.echo(decide(writer, item, action == "accept", candidate))
        except ReviewError as error:
            _fail(str(error), 1)
