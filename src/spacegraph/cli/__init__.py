"""The command line: a command is a few lines around one call of the library object (``Spacegraph``, through
``_ask``); the library's errors become readable messages here only.

The commands live by area: ``data`` (build, validate, query, stats, dump, serve, import-series), ``ingest``
(ingest, review), ``analysis`` (who-spoke-with, path, ego, rank, bridges, communities, continuity, export) and
``planning`` (coverage, balance, candidates, plan).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from spacegraph.settings import SETTINGS, Settings, load_settings

if TYPE_CHECKING:
    from spacegraph.library import Spacegraph

HELP = {s.name: f"{s.help} [env {s.env}; default {s.default}]" for s in SETTINGS}
T = TypeVar("T")


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def _ask(ctx: click.Context, question: Callable[[Spacegraph], T]) -> T:
    """``question(library)``, its domain errors as readable messages. One library per command: what one question
    computed (the projections, a series' history) serves the next."""
    from spacegraph.library import Spacegraph

    library = ctx.obj.setdefault("library", Spacegraph(_settings(ctx)))
    with _library_errors():
        return question(library)
    raise AssertionError  # unreachable: _library_errors exits on every error


@contextmanager
def _library_errors() -> Iterator[None]:
    """No data yet, a query or a proposal that cannot be written: exit 2. A name, series or topic that means no one
    (or several), a request that cannot be met or a parameter out of range: exit 1."""
    from spacegraph.planning.programme import PlanRefused
    from spacegraph.planning.proposal import ProposalRejected
    from spacegraph.query import QueryError
    from spacegraph.store.oxigraph import StoreMissing

    try:
        yield
    except (StoreMissing, QueryError, ProposalRejected) as error:
        _fail(str(error))
    except PlanRefused as error:
        _fail(f"cannot plan this: {error}", 1)
    except (LookupError, ValueError) as error:  # UnknownName, no such series, no such topic (a KeyError), a value
        _fail(error.args[0] if isinstance(error, KeyError) else str(error), 1)


def _emit(answer: dict, as_json: bool, lines: list[str]) -> None:
    """The answer as JSON, or as ``lines`` of text; what was assumed to read a name, and the network's note about
    events left out, are part of both (the note before the text, what was assumed on stderr)."""
    for note in answer.get("assumed", []):
        click.echo(f"Note: {note}.", err=True)
    if as_json:
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False))
        return
    click.echo("\n".join([f"Note: {answer['note']}", ""] + lines if answer.get("note") else lines))


class _Group(click.Group):
    """The command group: a SPARQL server that cannot be reached or refuses a request is a readable error."""

    def invoke(self, ctx: click.Context):
        from spacegraph.store.sparql import SparqlStoreError

        try:
            return super().invoke(ctx)
        except SparqlStoreError as error:
            _fail(f"{error}\nCheck --store (SPACEGRAPH_STORE), SPACEGRAPH_STORE_UPDATE and the credentials, and that the "
                  "server is running.")  # fmt: skip


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", type=click.Path(path_type=Path), help=HELP["data"])
@click.option("--store", help=HELP["store"])
@click.option("--ontology", type=click.Path(path_type=Path), help=HELP["ontology"])
@click.version_option(package_name="spacegraph")
@click.pass_context
def cli(ctx: click.Context, data: Path | None, store: str | None, ontology: Path | None) -> None:
    """spacegraph: a knowledge graph of commercial-space stakeholders.

    \b
    Example:
      spacegraph build && spacegraph serve
    """
    ctx.obj = {"settings": load_settings(data=data, store=store, ontology=ontology)}
    if ctx.invoked_subcommand not in RECOVERING:
        _warn_if_commit_pending(ctx.obj["settings"])


# The commands that always recover an interrupted commit before anything else (review accept/reject and a saved
# plan recover too, but `review` and `plan` also have read-only forms).
RECOVERING = {"build", "ingest"}
# spacegraph.write.journal.JOURNAL, not imported: that loads the store modules on every command
JOURNAL = ".journal.json"


def _warn_if_commit_pending(settings: Settings) -> None:
    """While a commit's journal is pending, data/ and the store may disagree: say so, and how to settle it."""
    journal = settings.data / JOURNAL
    if journal.exists():
        click.echo(f"Warning: a commit was interrupted ({journal} is pending), so {settings.data} and the store may "
                   "disagree. Run `spacegraph build` to finish or undo it (ingest, review accept/reject and plan "
                   "also do, before they write).", err=True)  # fmt: skip


def _progress(message: str) -> None:
    click.echo(message + " …", err=True)


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def main() -> None:
    cli()


# The commands register themselves on ``cli`` when their modules are imported.
from spacegraph.cli import analysis as _analysis_commands  # noqa: E402, F401
from spacegraph.cli import data as _data_commands  # noqa: E402, F401
from spacegraph.cli import entities as _entities_commands  # noqa: E402, F401
from spacegraph.cli import ingest as _ingest_commands  # noqa: E402, F401
from spacegraph.cli import planning as _planning_commands  # noqa: E402, F401
from spacegraph.cli import users as _users_commands  # noqa: E402, F401
