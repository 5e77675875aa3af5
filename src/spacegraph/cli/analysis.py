"""Commands of the relationship analysis: who spoke with whom, paths, rankings, communities, exports."""

from __future__ import annotations

from pathlib import Path

import click

from spacegraph.analysis.tables import EXPORT_FORMATS, MEASURES, NETWORKS
from spacegraph.cli import _ask, _emit, cli

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
    result = _ask(ctx, lambda library: library.who_spoke_with(person, year_from, year_to))
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
    result = _ask(ctx, lambda library: library.path(a, b, organisations))
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
@click.option("--radius", type=click.IntRange(min=1), default=1, show_default=True, help="How many hops out.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=500, show_default=True,
              help="Keep the nearest this many (ties broken by shared events); the answer says how many there were.")  # fmt: skip
@JSON_OPTION
@click.pass_context
def ego_command(ctx: click.Context, node: str, radius: int, max_nodes: int, as_json: bool) -> None:
    """The network around one person, RADIUS hops out.

    \b
    Example:
      spacegraph ego "WANG Yiran" --radius 2 --json
    """
    result = _ask(ctx, lambda library: library.ego(node, radius, max_nodes))
    kept = f" (the nearest {len(result['nodes'])} of {result['total_nodes']})" if result["truncated"] else ""
    lines = [f"{len(result['nodes'])} people{kept} and {len(result['edges'])} ties within {radius} hop(s):"]
    lines += [f"  {n['name']} [{n['side']}]" for n in result["nodes"]]
    _emit(result, as_json, lines)


@cli.command("rank")
@click.option(
    "--measure",
    type=click.Choice(list(MEASURES)),
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
    result = _ask(ctx, lambda library: library.rank(measure, side, top))
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
    result = _ask(ctx, lambda library: library.bridges(top))
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
    result = _ask(ctx, lambda library: library.communities(seed))
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
    result = _ask(ctx, lambda library: library.continuity())
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
    type=click.Choice(EXPORT_FORMATS),
    default="graphml",
    show_default=True,
    help="GraphML (a label per node), GEXF 1.3 (dynamic: nodes carry their years, edges their events' dates), CSV (a "
    "directory with nodes.csv (Id, Label, …) and edges.csv (Source, Target, Type, Weight, …), as Gephi imports them) "
    "or node-link JSON. Nodes are labelled with their names.",
)
@click.option(
    "--network",
    type=click.Choice(NETWORKS),
    default="people",
    show_default=True,
    help="Which projection.",
)
@click.pass_context
def export_command(ctx: click.Context, output: Path, fmt: str, network: str) -> None:
    """Write a network for Gephi, Cytoscape or a spreadsheet, with names, side, sector, country, years and weights
    (a year the data does not give is left out, not 0).

    \b
    Example:
      spacegraph export people.gexf --format gexf
      spacegraph export network-csv --format csv --network organisations
    """
    graph = _ask(ctx, lambda library: library.export(network, fmt, output))
    click.echo(f"Wrote {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges to {output}", err=True)
