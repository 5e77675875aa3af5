"""The command line: each command is one library call; domain errors become readable messages here only.

The commands live by area: ``data`` (build, validate, query, stats, dump, serve, import-series), ``ingest``
(ingest, review), ``analysis`` (who-spoke-with, path, ego, rank, bridges, communities, continuity, export) and
``planning`` (coverage, balance, candidates, plan).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from spacegraph.settings import SETTINGS, Settings, load_settings

HELP = {s.name: f"{s.help} [env {s.env}; default {s.default}]" for s in SETTINGS}


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


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
JOURNAL = ".journal.json"  # spacegraph.write.journal.JOURNAL, not imported: that loads the store modules on every command


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
from spacegraph.cli import ingest as _ingest_commands  # noqa: E402, F401
from spacegraph.cli import planning as _planning_commands  # noqa: E402, F401
