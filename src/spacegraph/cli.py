"""The command line: each command is one library call; domain errors become readable messages here only."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from spacegraph.settings import SETTINGS, Settings, load_settings

HELP = {s.name: f"{s.help} [env {s.env}; default {s.default}]" for s in SETTINGS}


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", type=click.Path(path_type=Path), help=HELP["data"])
@click.option("--store", type=click.Path(path_type=Path), help=HELP["store"])
@click.option("--ontology", type=click.Path(path_type=Path), help=HELP["ontology"])
@click.version_option(package_name="spacegraph")
@click.pass_context
def cli(ctx: click.Context, data: Path | None, store: Path | None, ontology: Path | None) -> None:
    """spacegraph: a knowledge graph of commercial-space stakeholders.

    \b
    Example:
      spacegraph build && spacegraph serve
    """
    ctx.obj = {"settings": load_settings(data=data, store=store, ontology=ontology)}


def _progress(message: str) -> None:
    click.echo(message + " …", err=True)


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@cli.command()
@click.option(
    "--engine",
    type=click.Choice(["sparql", "pyshacl"]),
    default="sparql",
    show_default=True,
    help="Validation engine: shapes compiled to SPARQL on the store, or pySHACL (reference, slower).",
)
@click.pass_context
def build(ctx: click.Context, engine: str) -> None:
    """(Re)build the store from the data directory, and validate it.

    The new store replaces the old one only if every file parses and the data conforms to the shapes;
    otherwise the report is printed, the previous store stays as it was, and the exit code is 1
    (2 for a file that cannot be read).

    \b
    Example:
      spacegraph build
      spacegraph --data data --store var/store build --engine pyshacl
    """
    from spacegraph.build import BuildRejected, build_store
    from spacegraph.datafiles import DataErrors

    settings = _settings(ctx)
    try:
        result = build_store(settings, engine=engine, progress=_progress)
    except DataErrors as error:
        _fail(f"{len(error.errors)} data file(s) cannot be loaded; the store is unchanged.\n{error}")
    except BuildRejected as rejected:
        click.echo(rejected.report.render())
        click.echo(f"\nThe data does not conform; the store at {settings.store} is unchanged.", err=True)
        sys.exit(1)
    except FileNotFoundError as error:
        _fail(str(error))
    click.echo(
        f"Built {settings.store}: {result.quads:,} quads in {result.graphs} named graphs from {result.files} files; "
        f"conforms to the shapes ({result.seconds:.1f} s)."
    )


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--engine",
    type=click.Choice(["sparql", "pyshacl"]),
    default="sparql",
    show_default=True,
    help="Validation engine (both give the same results).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], engine: str, as_json: bool) -> None:
    """Check data files against the shapes; print a report grouped by file and entity.

    With no FILE, checks the whole data directory. With FILEs, checks them in the context of the data
    directory (a FILE replaces the data file holding the same graph) and reports on them only.
    Exit codes: 0 conforms, 1 violations, 2 error (e.g. a file that does not parse).

    \b
    Example:
      spacegraph validate
      spacegraph validate data/graphs/swfound-2020-second-sino-us-space-commercialization-workshop.trig
    """
    from spacegraph.datafiles import DataErrors, data_files, read_data
    from spacegraph.validation import load_for_validation, validate_store

    settings = _settings(ctx)
    for file in files:
        if not file.is_file():
            _fail(f"{file}: no such file")
    try:
        checked = read_data(list(files)) if files else []
        context = read_data(data_files(settings.data))
    except DataErrors as error:
        _fail(str(error))
    replaced = {f.graph.value for f in checked}
    everything = checked + [f for f in context if f.graph.value not in replaced]
    store = load_for_validation(everything, settings.ontology_path)
    graph_files = {f.graph.value: str(f.path) for f in everything}
    report = validate_store(
        store, graph_files, settings.shapes_path, engine=engine,
        only_files=[str(f.path) for f in checked] if files else None,
    )  # fmt: skip
    click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) if as_json else report.render())
    sys.exit(0 if report.conforms else 1)


@cli.command()
@click.argument("sparql")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json", "turtle"]),
    default="table",
    show_default=True,
    help="table, csv or json for SELECT and ASK; turtle or json (JSON-LD) for CONSTRUCT.",
)
@click.pass_context
def query(ctx: click.Context, sparql: str, output_format: str) -> None:
    """Run a SPARQL query on the store. Give the query, or @FILE to read it from a file.

    The prefixes sg:, conf:, schema:, org:, foaf:, skos:, prov:, dcterms:, rdf:, rdfs:, owl:, xsd: are declared.

    \b
    Example:
      spacegraph query 'SELECT ?name WHERE { ?p a foaf:Person ; schema:name ?name } ORDER BY ?name'
      spacegraph query @queries/fuzhou-2020-speakers.rq --format csv
    """
    from spacegraph.query import QueryError, run_query
    from spacegraph.store.oxigraph import OxigraphStore, StoreMissing

    if sparql.startswith("@"):
        path = Path(sparql[1:])
        if not path.is_file():
            _fail(f"{path}: no such query file")
        sparql = path.read_text(encoding="utf-8")
    try:
        store = OxigraphStore(_settings(ctx).store, read_only=True)
        click.echo(run_query(store, sparql, output_format))
    except (QueryError, StoreMissing) as error:
        _fail(str(error))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts per class, per source graph and per edition.

    \b
    Example:
      spacegraph stats
      spacegraph stats --json
    """
    from tabulate import tabulate

    from spacegraph.query import show
    from spacegraph.stats import graph_stats
    from spacegraph.store.oxigraph import OxigraphStore, StoreMissing

    try:
        counts = graph_stats(OxigraphStore(_settings(ctx).store, read_only=True))
    except StoreMissing as error:
        _fail(str(error))
    if as_json:
        click.echo(json.dumps(counts, indent=2, ensure_ascii=False))
        return
    import pyoxigraph as ox

    click.echo(f"{counts['quads']:,} quads\n")
    click.echo(
        tabulate([[show(ox.NamedNode(c["class"])), c["count"]] for c in counts["classes"]], ["class", "instances"])
    )
    click.echo()
    click.echo(
        tabulate(
            [[g["graph"], g["quads"], "\n".join(g["sources"])] for g in counts["graphs"]],
            ["named graph", "quads", "derived from"],
        )
    )
    click.echo()
    rows = [
        [e["date"] or "?", e["name"][:60], e["people"], e["organisations"], e["talks"], e["topics"],
         "yes" if e["participants_complete"] else "no"]
        for e in counts["editions"]
    ]  # fmt: skip
    click.echo(tabulate(rows, ["date", "edition", "people", "orgs", "talks", "topics", "list complete"]))


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["nquads", "trig"]),
    default="nquads",
    show_default=True,
    help="N-Quads (one quad a line) or TriG.",
)
@click.argument("output", type=click.Path(allow_dash=True, path_type=Path), default="-")
@click.pass_context
def dump(ctx: click.Context, output_format: str, output: Path) -> None:
    """Write every quad of the store, each in its named graph, to OUTPUT (default: standard output).

    \b
    Example:
      spacegraph dump spacegraph.nq
      spacegraph dump --format trig - | head
    """
    import pyoxigraph as ox

    from spacegraph.store.oxigraph import OxigraphStore, StoreMissing

    rdf_format = ox.RdfFormat.N_QUADS if output_format == "nquads" else ox.RdfFormat.TRIG
    try:
        store = OxigraphStore(_settings(ctx).store, read_only=True)
    except StoreMissing as error:
        _fail(str(error))
    if str(output) == "-":
        store.dump(sys.stdout.buffer, rdf_format)
        return
    temporary = output.with_name(f".{output.name}.tmp")
    with temporary.open("wb") as f:
        store.dump(f, rdf_format)
    temporary.replace(output)
    click.echo(f"Wrote {len(store):,} quads to {output}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would be committed; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print what was understood as JSON (the --dry-run shape).")
@click.option("--yes", is_flag=True, help="Commit without asking.")
@click.option("--series", help="The series the events belong to [default: as the page names it, or the only one].")
@click.pass_context
def ingest(
    ctx: click.Context, paths: tuple[Path, ...], dry_run: bool, as_json: bool, yes: bool, series: str | None
) -> None:
    """Read event pages (.txt, .md, .html) into the graph, one validated named graph per page.

    Each page is parsed, its people and organisations resolved against the graph (doubtful matches go to
    `spacegraph review`), and its graph validated. Only if every page succeeds is anything written: each page
    to data/graphs/NAME.trig (its document to data/sources/) and to the store, together. Re-ingesting a page
    replaces its graph. Exit codes: 0 done, 1 a page could not be read or does not conform, 2 other errors.

    \b
    Example:
      spacegraph ingest --dry-run --json page.html
      spacegraph ingest --yes data/sources/swf-2020-09-19-second-sino-us-space-commercialization-workshop.txt
    """
    from spacegraph.commit import recover
    from spacegraph.store.oxigraph import OxigraphStore, StoreMissing, generation_of, writer_lock

    settings = _settings(ctx)
    if generation_of(settings.store) is None:
        _fail(str(StoreMissing(f"no store at {settings.store}: run `spacegraph build` first")))
    with writer_lock(settings.store):
        if done := recover(settings.data, settings.store):
            click.echo(f"Recovered: {done}", err=True)
        with OxigraphStore(settings.store, read_only=True) as store:
            _ingest(settings, store, paths, dry_run, as_json, yes, series)


def _ingest(settings, store, paths, dry_run, as_json, yes, series) -> None:
    from spacegraph.ingest.documents import DocumentError
    from spacegraph.ingest.ingest_page import commit_page, prepare_page

    prepared = []
    for path in paths:
        try:
            page = prepare_page(path, settings, store, series)
        except (DocumentError, LookupError) as error:
            click.echo(f"Error: {error}\nNothing was written.", err=True)
            sys.exit(1)
        prepared.append(page)
        if as_json:
            click.echo(json.dumps(page.report, indent=2, ensure_ascii=False))
        else:
            click.echo(_describe_page(page))
        if not page.validation.conforms:
            click.echo(page.validation.render())
            click.echo(f"\n{path} does not conform to the shapes; nothing was written.", err=True)
            sys.exit(1)
    if dry_run:
        click.echo("Dry run: nothing was written.", err=True)
        return
    todo = [p for p in prepared if not p.unchanged]
    for page in prepared:
        if page.unchanged:
            click.echo(f"{page.path}: unchanged since it was last ingested; nothing to commit.", err=True)
    if not todo:
        return
    if not yes:
        if not sys.stdin.isatty():
            _fail("not committing without confirmation: run again with --yes (or --dry-run to look first)")
        click.confirm(f"Commit {len(todo)} page(s)?", abort=True)
    for page in todo:
        commit_page(page, settings)
        click.echo(f"Committed {page.path} as data/graphs/{page.name}.trig ({len(page.quads)} quads).", err=True)


def _describe_page(page) -> str:
    lines = [f"{page.path}:"]
    for event in page.report["events"]:
        when = event["start_date"] or "date not given"
        if event["end_date"]:
            when += f" to {event['end_date']}"
        where = ", ".join(x for x in (event["city"], event["country"]) if x) or "place not given"
        lines.append(f"  {event['name']} ({when}; {where}; {event['attendance_mode'] or 'attendance not given'})")
        if event["hosts"]:
            lines.append(f"    hosts: {', '.join(event['hosts'])}")
        for extra in ("series", "co_located_with"):
            if event[extra]:
                lines.append(f"    {extra.replace('_', ' ')}: {event[extra]}")
        for p in event["participants"]:
            talk = f": “{p['talk_title']}”" if p["talk_title"] else ""
            org = f", {p['organization']}" if p["organization"] else ""
            lines.append(f"    - {p['role']}: {p['name']}{org} [{p['match']}]{talk}")
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
    from spacegraph.commit import recover
    from spacegraph.ingest.review import ReviewError, ReviewList, decide
    from spacegraph.store.oxigraph import writer_lock

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
                click.echo(f"    evidence: “{entry['evidence'].get('text', '')}”")
            for n, c in enumerate(entry["candidates"], 1):
                click.echo(f"    candidate {n}: {c['name']} <{c['iri']}> (similarity {c['score']})")
        return
    if item is None:
        _fail(f"give the item to {action}: spacegraph review {action} ID")
    with writer_lock(settings.store):
        recover(settings.data, settings.store)
        try:
            click.echo(decide(settings.data, settings.store, settings.shapes_path, item, action == "accept", candidate))
        except ReviewError as error:
            _fail(str(error), 1)


def _analysis(ctx: click.Context):
    from spacegraph.analysis.cache import projections_for
    from spacegraph.store.oxigraph import StoreMissing

    try:
        return projections_for(_settings(ctx).store)
    except StoreMissing as error:
        _fail(str(error))


def _node(ctx: click.Context, graph, name: str) -> str:
    from spacegraph.analysis.names import NameNotFound, resolve_node

    try:
        return resolve_node(_settings(ctx).store, graph, name)
    except NameNotFound as error:
        _fail(str(error), 1)
    raise AssertionError  # unreachable: _fail exits


def _emit(result: dict, as_json: bool, lines: list[str]) -> None:
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else "\n".join(lines))


JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print the answer, with its evidence, as JSON.")


@cli.command("who-spoke-with")
@click.argument("person")
@click.option("--from", "year_from", type=int, help="Only events from this year on.")
@click.option("--to", "year_to", type=int, help="Only events up to this year.")
@JSON_OPTION
@click.pass_context
def who_spoke_with_command(
    ctx: click.Context, person: str, year_from: int | None, year_to: int | None, as_json: bool
) -> None:
    """The people PERSON shared an event with: how often, where, when and in what roles.

    \b
    Example:
      spacegraph who-spoke-with "Jeffrey Manber"
      spacegraph who-spoke-with "Ian Christensen" --from 2021 --json
    """
    from spacegraph.analysis.questions import who_spoke_with

    graph = _analysis(ctx).people
    result = who_spoke_with(graph, _node(ctx, graph, person), year_from, year_to)
    lines = [f"{result['name']} shared an event with {len(result['co_speakers'])} people:"]
    for c in result["co_speakers"]:
        where = "; ".join(f"{e['name']} ({e['date'] or 'date not given'}; as {', '.join(e['roles'][c['iri']])})"
                          for e in c["events"])  # fmt: skip
        lines.append(f"  {c['name']} [{c['side']}] x{c['count']}: {where}")
    _emit(result, as_json, lines)


@cli.command("path")
@click.argument("a")
@click.argument("b")
@click.option("--organisations", is_flag=True, help="Between organisations (their people's events) instead of people.")
@JSON_OPTION
@click.pass_context
def path_command(ctx: click.Context, a: str, b: str, organisations: bool, as_json: bool) -> None:
    """The shortest connections between two people (or organisations), with the event behind each hop.

    \b
    Example:
      spacegraph path "Jeffrey Manber" "Blaine Curcio"
    """
    from spacegraph.analysis.questions import shortest_paths

    projections = _analysis(ctx)
    graph = projections.organisations if organisations else projections.people
    result = shortest_paths(graph, _node(ctx, graph, a), _node(ctx, graph, b))
    if not result["paths"]:
        lines = ["No connection."]
    else:
        lines = [f"{len(result['paths'])} shortest connection(s) of {result['length']} hop(s):"]
        for path in result["paths"]:
            lines.append("  " + " - ".join(path["names"]))
            for hop in path["hops"]:
                events = "; ".join(f"{e['name']} ({e['date'] or 'date not given'})" for e in hop["events"])
                lines.append(f"    {hop['from_name']} & {hop['to_name']}: {events}")
    _emit(result, as_json, lines)


@cli.command("ego")
@click.argument("node")
@click.option("--radius", type=int, default=1, show_default=True, help="How many hops out.")
@JSON_OPTION
@click.pass_context
def ego_command(ctx: click.Context, node: str, radius: int, as_json: bool) -> None:
    """The network around one person, RADIUS hops out.

    \b
    Example:
      spacegraph ego "WANG Yiran" --radius 2 --json
    """
    from spacegraph.analysis.questions import ego

    graph = _analysis(ctx).people
    result = ego(graph, _node(ctx, graph, node), radius)
    lines = [f"{len(result['nodes'])} people and {len(result['edges'])} ties within {radius} hop(s):"]
    lines += [f"  {n['name']} [{n['side']}]" for n in result["nodes"]]
    _emit(result, as_json, lines)


@cli.command("rank")
@click.option(
    "--measure",
    type=click.Choice(["degree", "betweenness", "eigenvector", "pagerank"]),
    default="degree",
    show_default=True,
    help="The centrality measure.",
)
@click.option("--side", help="Only people of this side (U.S., China, other).")
@click.option("--top", type=int, default=20, show_default=True, help="How many to list.")
@JSON_OPTION
@click.pass_context
def rank_command(ctx: click.Context, measure: str, side: str | None, top: int, as_json: bool) -> None:
    """People ranked by a centrality measure of the co-appearance network, with what the measure means.

    \b
    Example:
      spacegraph rank --measure betweenness --side China
    """
    from spacegraph.analysis.questions import rank

    result = rank(_analysis(ctx).people, measure, side, top)
    lines = [result["meaning"], f"({result['computation']})", ""]
    lines += [f"  {r['score']:.4f}  {r['name']} [{r['side']}]" for r in result["ranking"]]
    _emit(result, as_json, lines)


@cli.command("bridges")
@click.option("--top", type=int, default=20, show_default=True, help="How many to list.")
@JSON_OPTION
@click.pass_context
def bridges_command(ctx: click.Context, top: int, as_json: bool) -> None:
    """The people who connect the sides: ties across sides, constraint and effective size (structural holes).

    \b
    Example:
      spacegraph bridges --top 10
    """
    from spacegraph.analysis.questions import bridges

    result = bridges(_analysis(ctx).people, top)
    lines = ["cross-side ties, constraint (low: brokers), effective size (high: brokers):"]
    lines += [f"  {r['name']} [{r['side']}]: {r['cross_side_ties']} across ({', '.join(r['cross_side_partners'])}); "
              f"constraint {r['constraint']}, effective size {r['effective_size']}" for r in result["bridges"]]  # fmt: skip
    _emit(result, as_json, lines)


@cli.command("communities")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed: the same seed, the same result.")
@JSON_OPTION
@click.pass_context
def communities_command(ctx: click.Context, seed: int, as_json: bool) -> None:
    """Communities of the co-appearance network (Louvain), each described by sides, sectors and topics.

    \b
    Example:
      spacegraph communities --json
    """
    from spacegraph.analysis.questions import communities

    projections = _analysis(ctx)
    result = communities(projections.people, projections.topics, seed)
    lines = [result["algorithm"]]
    for n, c in enumerate(result["communities"], 1):
        lines.append(f"  {n}. {c['size']} people; sides {c['sides']}; sectors {c['sectors']}")
        lines.append(f"     {', '.join(c['members'])}")
        if c["topics"]:
            lines.append(f"     topics: {'; '.join(c['topics'])}")
    _emit(result, as_json, lines)


@cli.command("continuity")
@JSON_OPTION
@click.pass_context
def continuity_command(ctx: click.Context, as_json: bool) -> None:
    """Per event: new and returning people and organisations, retention, and who was not seen again.

    \b
    Example:
      spacegraph continuity
    """
    from spacegraph.analysis.questions import continuity

    result = continuity(_analysis(ctx).person_event)
    lines = []
    for e in result["events"]:
        lines.append(f"{e['date'] or 'date not given'}  {e['name']}: {e['people']} people, {e['organisations']} "
                     f"organisations; new {len(e['new'])}, returning {len(e['returning'])}, retention {e['retention']}")  # fmt: skip
    _emit(result, as_json, lines)


@cli.command("export")
@click.argument("output", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "csv", "json"]),
    default="graphml",
    show_default=True,
    help="GraphML, GEXF (dynamic: edges carry their events' dates), CSV (a directory "
    "with nodes.csv and edges.csv) or node-link JSON.",
)
@click.option(
    "--network",
    type=click.Choice(["people", "organisations", "sides", "person-event", "person-topic"]),
    default="people",
    show_default=True,
    help="Which projection.",
)
@click.pass_context
def export_command(ctx: click.Context, output: Path, fmt: str, network: str) -> None:
    """Write a network for Gephi, Cytoscape or a spreadsheet, with side, sector, country, years and weights.

    \b
    Example:
      spacegraph export people.gexf --format gexf
      spacegraph export network-csv --format csv --network organisations
    """
    from spacegraph.analysis.exports import export

    projections = _analysis(ctx)
    graph = {"people": projections.people, "organisations": projections.organisations, "sides": projections.sides,
             "person-event": projections.person_event, "person-topic": projections.person_topic}[network]  # fmt: skip
    export(graph, fmt, output)
    click.echo(f"Wrote {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges to {output}", err=True)


@cli.command()
@click.option("--host", help=HELP["host"])
@click.option("--port", type=int, help=HELP["port"])
@click.option("--workers", type=int, help=HELP["workers"])
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the web app on the embedded store, under gunicorn.

    \b
    Example:
      spacegraph serve --host 127.0.0.1 --port 5000
    """
    from spacegraph.store.oxigraph import generation_of
    from spacegraph.web.server import run_server

    settings = _settings(ctx)
    settings = load_settings(
        data=settings.data, store=settings.store, ontology=settings.ontology, host=host, port=port, workers=workers
    )
    if generation_of(settings.store) is None:
        _fail(f"no store at {settings.store}: run `spacegraph build` first")
    click.echo(f"Serving spacegraph on http://{settings.host}:{settings.port}/ (store {settings.store})", err=True)
    run_server(settings)


@cli.command("import-series")
@click.option(
    "--series",
    "series_path",
    type=click.Path(exists=True, path_type=Path),
    help="The series fact file [default: DATA/sources/series.json].",
)
@click.option(
    "--amendments",
    "amendments_path",
    type=click.Path(exists=True, path_type=Path),
    help="The curators' amendments [default: DATA/sources/amendments.json].",
)
@click.option("--recorded-at", help="Timestamp to record as prov:generatedAtTime [default: now, UTC].")
@click.pass_context
def import_series(ctx: click.Context, series_path: Path | None, amendments_path: Path | None,
                  recorded_at: str | None) -> None:  # fmt: skip
    """Write the registry and one graph per source document from the series fact file.

    Rewrites DATA/registry/{organisations,people,series}.trig and DATA/graphs/*.trig for the sources the
    file names; all files are written, or none. Run `spacegraph build` afterwards.

    \b
    Example:
      spacegraph import-series --recorded-at 2026-11-27T20:00:00Z
    """
    from spacegraph.datafiles import write_graph_files
    from spacegraph.ingest.resolve import UnknownName
    from spacegraph.ingest.series_json import SeriesFileError, load_series, series_graphs
    from spacegraph.ingest.to_rdf import Provenance
    from spacegraph.iris import Minter

    settings = _settings(ctx)
    series_path = series_path or settings.data / "sources" / "series.json"
    amendments_path = amendments_path or settings.data / "sources" / "amendments.json"
    minter = Minter(load_settings().base)
    stamp = recorded_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    prov = Provenance(minter.agent("spacegraph import-series"), "spacegraph import-series", stamp)
    try:
        data = load_series(series_path, amendments_path if amendments_path.exists() else None, settings.data)
        graphs = series_graphs(data, minter, prov)
    except (SeriesFileError, UnknownName) as error:
        _fail(str(error))
    written = write_graph_files(settings.data, graphs)
    click.echo(f"Wrote {len(written)} files under {settings.data}: " + ", ".join(sorted(graphs)))


def main() -> None:
    cli()
