"""Commands for planning the next edition: coverage, balance, candidates, and a draft programme (plan)."""

from __future__ import annotations

from pathlib import Path

import click

from spacegraph.cli import _ask, _emit, _fail, _progress, cli

SERIES_OPTION = click.option("--series", help="The series, by name or IRI (default: the one with the latest edition).")
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")


@cli.command("coverage")
@SERIES_OPTION
@JSON_OPTION
@click.pass_context
def coverage_command(ctx: click.Context, series: str | None, as_json: bool) -> None:
    """What the series has covered: topics covered never, once, only long ago, or by one side only.

    A narrower topic counts towards its broader ones (the SKOS scheme). With --json, also the edition x topic
    matrix.

    \b
    Example:
      spacegraph coverage
      spacegraph coverage --json > coverage.json
    """
    result = _ask(ctx, lambda library: library.coverage(series))
    lines = [f"{result['series_name']}: {len(result['matrix'])} editions, {len(result['topics'])} topics"]
    for key, title in (("never", "Never covered"), ("once", "Covered once"),
                       ("long_ago", f"Covered only {result['long_ago_years']}+ years before {result['latest_year']}"),
                       ("one_side_only", "Raised by one side only")):  # fmt: skip
        lines.append(f"{title} ({len(result[key])}):")
        lines += [f"  {t['label']}" + (f" [{t['side']}]" if "side" in t else "")
                  + (f" (last {t['last_year']})" if t["last_year"] else "") for t in result[key]]  # fmt: skip
    _emit(result, as_json, lines)


@cli.command("balance")
@SERIES_OPTION
@JSON_OPTION
@click.pass_context
def balance_command(ctx: click.Context, series: str | None, as_json: bool) -> None:
    """Per edition: speakers by side and sector, new and returning, flags; organisations that never came back.

    \b
    Example:
      spacegraph balance
    """
    result = _ask(ctx, lambda library: library.balance(series))
    lines = []
    for e in result["editions"]:
        sides = ", ".join(f"{s} {n}" for s, n in e["by_side"].items()) or "none recorded"
        flags = f"  <- {'; '.join(e['flags'])}" if e["flags"] else ""
        lines.append(f"{e['date'] or 'undated':10}  {e['name'][:60]:60}  {e['speakers']:3} speakers ({sides}); "
                     f"{len(e['new'])} new, {len(e['returning'])} returning{flags}")  # fmt: skip
    lines.append("Organisations that took part once and never came back:")
    lines += [f"  {o['name']} ({o['edition_name']}, {o['date'] or 'undated'})" for o in result["organisations_once"]]
    _emit(result, as_json, lines)


@cli.command("candidates")
@click.option("--topic", help="Rank for this topic (a label or IRI); without it, for any slot.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many to list.")
@click.option("--pairings", is_flag=True, help="Also propose new pairings across the two sides.")
@SERIES_OPTION
@JSON_OPTION
@click.pass_context
def candidates_command(
    ctx: click.Context, topic: str | None, top: int, pairings: bool, series: str | None, as_json: bool
) -> None:
    """Whom to invite, best first, each with the reasons for the rank.

    \b
    Example:
      spacegraph candidates --topic "space tourism"
      spacegraph candidates --pairings --json
    """
    if topic is not None and not topic.strip():
        _fail("--topic is empty: give a topic's label or IRI, or leave --topic out to rank for any slot", 1)
    result = _ask(ctx, lambda library: library.candidates(topic, top, pairings, series))
    series_name = _ask(ctx, lambda library: library.history(series).series_name)
    lines = [f"Candidates{' for ' + result['topic_label'] if topic else ''} ({series_name}):"]
    for i, x in enumerate(result["candidates"], 1):
        lines.append(f"{i:3}. {x['name']} [{x['side'] or 'side unknown'}] {x['score']:.2f}: {'; '.join(x['reasons'])}")
    for p in result.get("pairings", []):
        lines.append(f"  pair: {p['a_name']} + {p['b_name']} ({p['score']:.2f}): {'; '.join(p['reasons'])}")
    _emit(result, as_json, lines)


@cli.command("plan")
@click.option("--slots", type=click.IntRange(min=1), default=8, show_default=True, help="Number of speaking slots.")
@click.option("--topics", "topics", multiple=True, help="A topic to program (label or IRI); repeat for several.")
@click.option("--balance-sides", is_flag=True, help="As many U.S. as Chinese speakers (the odd slot to the side "
              "with fewer speaking appearances so far).")  # fmt: skip
@click.option("--min-new", type=click.IntRange(min=0), default=0, help="At least this many people who have never "
              "spoken at an edition of the series.")  # fmt: skip
@click.option("--exclude", multiple=True, help="A person not to invite (name or IRI); repeat for several.")
@click.option("--markdown", type=click.Path(path_type=Path, dir_okay=False), help="Also write the slate here.")
@click.option("--html", type=click.Path(path_type=Path, dir_okay=False), help="Also write a briefing page here.")
@click.option("--csv", "csv_file", type=click.Path(path_type=Path, dir_okay=False), help="Also write the slots as CSV.")
@click.option("--name", help="Save it as a named proposal (a series may have several; see `spacegraph proposals`).")
@click.option("--dry-run", is_flag=True, help="Do not save the proposal graph.")
@click.option("--discard", is_flag=True, help="Remove the series' saved proposal (or the one called --name), and "
              "do nothing else.")  # fmt: skip
@SERIES_OPTION
@JSON_OPTION
@click.pass_context
def plan_command(ctx: click.Context, slots: int, topics: tuple[str, ...], balance_sides: bool, min_new: int,
                 exclude: tuple[str, ...], markdown: Path | None, html: Path | None, csv_file: Path | None,
                 name: str | None, dry_run: bool, discard: bool, series: str | None, as_json: bool) -> None:  # fmt: skip
    """A draft programme for the next edition: a slate for N slots that meets the constraints, with reasons.

    The result is deterministic. It is saved as RDF in a named graph of its own, typed as a proposal and kept
    in data/proposals/ (the facts and the analysis ignore it); --dry-run does not save it, --discard removes it.
    When a constraint cannot be met the command says which and why, and exits 1. People on the longlist
    (`spacegraph longlist add`) are candidates too, and count as new.

    \b
    Example:
      spacegraph plan --slots 8 --balance-sides
      spacegraph plan --slots 4 --topics "space tourism" --exclude "Ian Christensen" --json --dry-run
      spacegraph plan --slots 6 --min-new 1 --name with-newcomers --csv plan.csv
      spacegraph plan --discard
    """
    from spacegraph.planning.programme import to_markdown

    if discard:
        removed = _ask(ctx, lambda library: library.discard_plan(series, name))
        click.echo(f"Removed the proposal <{removed}>." if removed else "There was no saved proposal to remove.")
        return
    for output in filter(None, (markdown, html, csv_file)):  # before anything is saved: a bad path changes nothing
        if not output.parent.is_dir():
            _fail(f"{output}: its directory does not exist; give a file in an existing directory")
    if not dry_run:
        _progress("drafting and saving the proposal")
    plan = _ask(ctx, lambda library: library.plan(slots, topics, balance_sides, min_new, exclude, series,
                                                  save=not dry_run, name=name))  # fmt: skip
    _write_exports(plan, markdown, html, csv_file)
    lines = [to_markdown(plan).rstrip()]
    if plan.get("saved_as"):
        again = f"spacegraph proposals discard {name}" if name else "spacegraph plan --discard"
        lines.append(f"\nSaved as the proposal graph <{plan['saved_as']}> (remove it with `{again}`).")
    _emit(plan, as_json, lines)


def _write_exports(plan: dict, markdown: Path | None, html: Path | None, csv_file: Path | None) -> None:
    from spacegraph.planning.programme import to_csv, to_html, to_markdown

    for output, render in ((markdown, to_markdown), (html, to_html), (csv_file, to_csv)):
        if output is not None:
            output.write_text(render(plan), encoding="utf-8")


EXPORT_FORMATS = ("markdown", "csv", "html", "json")


@cli.group("proposals")
def proposals_group() -> None:
    """Saved draft programmes: list, show (or export), discard."""


@proposals_group.command("list")
@JSON_OPTION
@click.pass_context
def proposals_list(ctx: click.Context, as_json: bool) -> None:
    """Every saved proposal, the latest first, with its request, when and by whom it was saved.

    \b
    Example:
      spacegraph proposals list
    """
    from spacegraph.library.planning import proposals

    saved = _ask(ctx, proposals)
    lines = [f"{p['graph'].rsplit('/', 1)[-1]}: {p['label']}, {p['slots']} slots; {p.get('at', 'undated')} by "
             f"{p.get('by', 'unknown')}; request: {p.get('request', '')}" for p in saved] or ["No saved proposal."]  # fmt: skip
    _emit({"proposals": saved}, as_json, lines)


@proposals_group.command("show")
@click.argument("which")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="markdown", show_default=True)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), help="Write it here, not to stdout.")
@click.pass_context
def proposals_show(ctx: click.Context, which: str, fmt: str, output: Path | None) -> None:
    """A saved proposal (by name, file stem or graph IRI) as Markdown, CSV, a printable HTML page or JSON.

    \b
    Example:
      spacegraph proposals show with-newcomers --format csv --output plan.csv
    """
    import json

    from spacegraph.library.planning import open_proposal
    from spacegraph.planning.programme import to_csv, to_html, to_markdown

    if output is not None and not output.parent.is_dir():
        _fail(f"{output}: its directory does not exist; give a file in an existing directory")
    plan = _ask(ctx, lambda library: open_proposal(library, which))
    render = {"markdown": to_markdown, "csv": to_csv, "html": to_html,
              "json": lambda p: json.dumps(p, indent=2, ensure_ascii=False) + "\n"}[fmt]  # fmt: skip
    text = render(plan)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@proposals_group.command("discard")
@click.argument("which")
@click.pass_context
def proposals_discard(ctx: click.Context, which: str) -> None:
    """Remove a saved proposal from data/proposals/ and the store, in one commit.

    \b
    Example:
      spacegraph proposals discard with-newcomers
    """
    from spacegraph.library.planning import discard_proposal
    from spacegraph.write import Agent

    removed = _ask(ctx, lambda library: discard_proposal(library, Agent.program("spacegraph proposals", library.settings),
                                                         which))  # fmt: skip
    click.echo(f"Removed the proposal <{removed}>.")


@cli.group("longlist")
def longlist_group() -> None:
    """People to invite who are not in the graph yet: candidates and drafts draw from them."""


@longlist_group.command("list")
@SERIES_OPTION
@JSON_OPTION
@click.pass_context
def longlist_list(ctx: click.Context, series: str | None, as_json: bool) -> None:
    """The longlist, in the order people were added.

    \b
    Example:
      spacegraph longlist list
    """
    from spacegraph.library.planning import invitees

    entries = _ask(ctx, lambda library: invitees(library, series))
    lines = [f"{e['name']} ({e.get('organisation') or 'organisation unknown'}; {e.get('side') or 'side unknown'}): "
             + (", ".join(e["topic_labels"]) or "no topic") for e in entries] or ["The longlist is empty."]  # fmt: skip
    _emit({"longlist": entries}, as_json, lines)


@longlist_group.command("add")
@click.argument("name")
@click.option("--organisation", default="", help="Their organisation, as it should be printed.")
@click.option("--side", default="", help="U.S., China or other.")
@click.option("--topic", "topics", multiple=True, help="A topic of the scheme (label or IRI); repeat for several.")
@SERIES_OPTION
@click.pass_context
def longlist_add(ctx: click.Context, name: str, organisation: str, side: str, topics: tuple[str, ...],
                 series: str | None) -> None:  # fmt: skip
    """Put someone who is not in the graph yet on the longlist.

    \b
    Example:
      spacegraph longlist add "Ada Example" --organisation "Example Orbital Inc." --side U.S. --topic "space tourism"
    """
    from spacegraph.library.planning import add_invitee
    from spacegraph.write import Agent

    entry = _ask(ctx, lambda library: add_invitee(library, Agent.program("spacegraph longlist", library.settings),
                                                  name, organisation, side, topics, series))  # fmt: skip
    click.echo(f"Added {entry['name']} to the longlist <{entry['iri']}>.")


@longlist_group.command("remove")
@click.argument("name")
@click.pass_context
def longlist_remove(ctx: click.Context, name: str) -> None:
    """Take someone off the longlist.

    \b
    Example:
      spacegraph longlist remove "Ada Example"
    """
    from spacegraph.library.planning import remove_invitee
    from spacegraph.write import Agent

    entry = _ask(ctx, lambda library: remove_invitee(library, Agent.program("spacegraph longlist", library.settings),
                                                     name))  # fmt: skip
    click.echo(f"Removed {entry['name']} from the longlist.")
