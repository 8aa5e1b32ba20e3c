"""The `kg` command: thin, one library call per subcommand.

Every KgError becomes a one-line message on stderr and a non-zero exit code,
in one place (:class:`KgGroup`): 1 for an error that stopped the command, 3
when a build skipped some input, 130 when interrupted (Ctrl-C).
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.engines import ENGINES, available_cores
from kg.errors import KgError
from kg.export import FORMATS as GRAPH_FORMATS
from kg.export import VIEWS
from kg.graph import KnowledgeGraph
from kg.limits import MAX_CHARS
from kg.queries import LISTING_FORMATS, RESULT_FORMATS, describe_queries, format_result
from kg.store import EXPORT_FORMATS, Stats, default_store_path, store_location

if TYPE_CHECKING:
    from kg.curation import Curation

EXIT_ERROR = 1
EXIT_SKIPPED = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C

store_option = click.option("--store", "store_path", type=str, default=None, callback=lambda ctx, param, value:
                            None if value is None else store_location(value), metavar="DIR|URL",
                            help="Store directory, or the URL of a SPARQL server holding the store, e.g. "
                                 "http://127.0.0.1:7878 (default: $KG_STORE or ./kg-store).")
listing_format = click.option("--format", "fmt", type=click.Choice(LISTING_FORMATS), default="text", show_default=True,
                              help="Lines for people (text) or one JSON document for programs (json).")

T = TypeVar("T")


class KgGroup(click.Group):
    """A click group that turns a KgError into ``kg: MESSAGE`` on stderr and exit code 1, and Ctrl-C into 130.

    Subcommands and subgroups run inside its ``invoke``, so this is the one place errors are reported.
    """

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as err:  # a build's BuildInterrupted (a KgError too) says what it had written
            _report(ctx, str(err) if isinstance(err, KgError) else "interrupted", EXIT_INTERRUPTED)
        except KgError as err:
            _report(ctx, str(err), EXIT_ERROR)
        return None  # not reached: _report exits


def _report(ctx: click.Context, message: str, code: int) -> None:
    """Print ``message`` on stderr as one line and exit with ``code``."""
    click.echo("kg: " + " ".join(line.strip() for line in message.splitlines() if line.strip()), err=True)
    ctx.exit(code)


def _parse_columns(spec: str | None) -> dict[str, str] | None:
    if not spec:
        return None
    pairs = [part.partition("=") for part in spec.split(",") if part.strip()]
    bad = [p[0] for p in pairs if not p[1] or not p[2].strip()]
    if bad:
        raise click.BadParameter(f"expected field=column pairs such as id=unit_id,text=body; got {spec!r}")
    return {k.strip(): v.strip() for k, _, v in pairs}


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="conflict-kg")
def cli() -> None:
    """conflict-kg: news about the war in Syria -> a queryable knowledge graph."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--columns", help="CSV layout other than FA-KES: field=column pairs, e.g. id=uid,text=body,published=date.")
@click.option("--max-chars", type=click.IntRange(1, 1_000_000), default=MAX_CHARS, show_default=True,
              help="Longest article text; a longer one is cut at the end of a sentence, with a warning.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
@click.option("--processes", type=click.IntRange(min=1), default=None,
              help="Processes that parse and extract (default: the cores available; 1: no worker processes).")
@click.option("--engine", type=click.Choice(ENGINES), default="embedded", show_default=True,
              help="Where articles are analysed: on this machine, or on a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Dask scheduler to use (tcp://host:8786) with --engine dask (default: a local cluster).")
def build(paths: tuple[Path, ...], store_path: Path | str | None, columns: str | None, max_chars: int,
          progress: bool | None, processes: int | None, engine: str, scheduler: str | None) -> None:
    """Read articles from PATHS (files, folders, CSV, JSONL, HTML) into the store."""
    mapping = _parse_columns(columns)  # before the store exists: a bad option creates nothing
    with KnowledgeGraph.open(store_path or default_store_path()) as graph:
        report = graph.build(list(paths), columns=mapping, max_chars=max_chars, progress=progress,
                             on_problem=lambda p: click.echo(f"kg: {p}", err=True),
                             processes=processes or available_cores(), engine=engine, scheduler=scheduler)
        counts = graph.stats()
    click.echo(f"{report.articles} articles ({report.added} added, {report.replaced} replaced, "
               f"{report.unchanged} unchanged), {report.skipped} inputs skipped")
    _print_counts(counts)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


def _reading(store_path: Path | str | None, ask: Callable[[KnowledgeGraph], T]) -> T:
    """What ``ask`` gets from the graph named by --store (or the default), opened read-only and closed again."""
    with KnowledgeGraph.open(store_path or default_store_path(), read_only=True) as graph:
        return ask(graph)


def _print_counts(counts: Stats, fmt: str = "text") -> None:
    if fmt == "json":
        click.echo(json.dumps(counts.as_json(), indent=2))
        return
    click.echo(f"store: {counts.articles} articles, {counts.actors} actors ({counts.people} people), "
               f"{counts.places} places, {counts.events} events, {counts.quads} quads")
    if counts.events_by_type:
        click.echo("events by type: " + ", ".join(f"{k} {v}" for k, v in counts.events_by_type))


@cli.command()
@store_option
@listing_format
def stats(store_path: Path | str | None, fmt: str) -> None:
    """Print counts by class: articles, actors, places, events by type, quads."""
    _print_counts(_reading(store_path, KnowledgeGraph.stats), fmt)


@cli.command()
@store_option
@click.option("--format", "fmt", type=click.Choice([*sorted(EXPORT_FORMATS), *GRAPH_FORMATS]), default="nquads",
              show_default=True, help="RDF (nquads, trig, turtle, ntriples) or a graph for Gephi (gexf, graphml).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="File to write (default: stdout).")
@click.option("--view", type=click.Choice(VIEWS), default="full", show_default=True,
              help="For gexf/graphml: every node (full), actor to actor (actors), or events and places (events).")
@click.option("--ontology/--no-ontology", default=True, show_default=True, help="For RDF: include the ontology graph.")
def export(store_path: Path | str | None, fmt: str, output: Path | None, view: str, ontology: bool) -> None:
    """Write the graph as RDF, or as GEXF/GraphML for Gephi."""
    target = str(output) if output is not None else sys.stdout.buffer
    _reading(store_path, lambda graph: graph.dump(target, fmt=fmt, ontology=ontology, view=view))


@cli.command()
@store_option
@listing_format
def validate(store_path: Path | str | None, fmt: str) -> None:
    """Check the store against the SHACL shapes in ontology/shapes.ttl."""
    report = _reading(store_path, KnowledgeGraph.validate)
    if fmt == "json":
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for line in report.results:
            click.echo(line)
        click.echo(f"{report.violations} violations")
    if not report.conforms:
        sys.exit(EXIT_ERROR)


def _parse_bindings(pairs: tuple[str, ...]) -> dict[str, str]:
    bad = [p for p in pairs if "=" not in p or not p.partition("=")[0].strip()]
    if bad:
        raise click.BadParameter(f"expected KEY=VALUE, got {bad[0]!r}", param_hint="-p")
    return {key.strip(): value for key, _, value in (p.partition("=") for p in pairs)}


@cli.command("query")
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help='A parameter of the query, e.g. -p actor="Islamic State" (repeat for more).')
@click.option("--sparql", help="Run this SPARQL (SELECT, ASK, CONSTRUCT, DESCRIBE) instead of a named query.")
@click.option("--format", "fmt", type=click.Choice(RESULT_FORMATS), default="table", show_default=True,
              help="An aligned table (IRIs shortened), JSON rows or CSV.")
@store_option
def query(name: str | None, params: tuple[str, ...], sparql: str | None, fmt: str, store_path: Path | str | None) -> None:
    """Run the named query NAME (see `kg queries`), or any SPARQL with --sparql."""
    if (name is None) == (sparql is None):
        raise click.UsageError("name a query (see `kg queries`) or give --sparql '...', not both")
    bindings: dict[str, Any] = _parse_bindings(params)
    if "allow_service" in bindings:  # a keyword of KnowledgeGraph.result, not a parameter: the guard stays on
        raise click.BadParameter("allow_service is no query parameter", param_hint="-p")
    query_text = sparql if sparql is not None else str(name)
    click.echo(format_result(_reading(store_path, lambda graph: graph.result(query_text, **bindings)), fmt))


@cli.command("queries")
@listing_format
def list_named_queries(fmt: str) -> None:
    """List the named queries, with their summaries and parameters."""
    click.echo(describe_queries(fmt=fmt))


@cli.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; 0.0.0.0 opens it to the network.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is ended (HTTP 503).")
@click.option("--max-results", default=100_000, show_default=True, type=click.IntRange(min=1),
              help="Rows (or triples) a result may hold; more is refused (HTTP 400).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Another name the Host header may give besides 127.0.0.1, localhost, [::1] and the bound "
                   "address (repeat for more; * for any).")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let web pages from ORIGIN (e.g. https://example.org) query it, with CORS headers (repeat for "
                   "more; * for any). Without it, cross-site requests are refused.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes at most, started as needed: queries that may run at once "
                   "[default: one per core, 4 to 8].")
@click.option("--queue-wait", type=click.FloatRange(min=0.1), default=None,
              help="Seconds a query waits for a worker before the answer is 503 with Retry-After [default: 10].")
@click.option("--max-slow-per-client", type=click.IntRange(min=1), default=None,
              help="Slow queries (running over a second) one client address may have at once [default: 2].")
@click.option("--access-log", metavar="FILE", default=None,
              help="Append one line per request to FILE (- for stderr), in the Common Log Format plus seconds taken.")
def serve(store_path: Path | str | None, host: str, port: int, timeout: float, max_results: int,
          allowed_hosts: tuple[str, ...], cors: tuple[str, ...], workers: int | None, queue_wait: float | None,
          max_slow_per_client: int | None, access_log: str | None) -> None:
    """Serve the store read-only over the SPARQL 1.1 Protocol, with a query page at /."""
    from kg.serve import serve as run_server  # here: importing the server costs `kg --help` a third of a second

    pool: dict[str, Any] = {name: value for name, value in (("workers", workers), ("queue_wait", queue_wait),
                                            ("slow_per_client", max_slow_per_client)) if value is not None}
    run_server(store_path or default_store_path(), host=host, port=port, timeout=timeout,
               max_results=max_results, cors=cors, access_log=access_log, allowed_hosts=allowed_hosts, **pool)


@cli.group()
def curate() -> None:
    """Correct resolution: say two nodes are one, or two, or give a node a name; kept across rebuilds.

    Overrides live in curation.tsv in the store's folder (one per line, plain text) and are applied by every
    build. Nodes are named by IRI or ref: event/..., claim/<article>/<n>, actor/..., person/..., place/....
    """


def _curate(store_path: Path | str | None, action: Callable[[Curation], str]) -> None:
    from kg.curation import Curation

    with KnowledgeGraph.open(store_path or default_store_path()) as graph:
        message = action(Curation(graph.store))
    click.echo(message)


def _pair_command(action: str, summary: str, sign: str) -> None:
    @curate.command(action, help=summary)
    @click.argument("first")
    @click.argument("second")
    @store_option
    def command(first: str, second: str, store_path: Path | str | None) -> None:
        _curate(store_path, lambda c: f"{action}: {first} {sign} {second}; "
                                      f"{getattr(c, action)(first, second)} canonical quads changed")


_pair_command("same", "FIRST and SECOND (two events, or two entities of one kind) are one real thing.", "=")
_pair_command("different", "FIRST and SECOND are two real things (to split one event, name two of its claims).", "!=")


@curate.command("alias")
@click.argument("node")
@click.argument("name")
@store_option
def curate_alias(node: str, name: str, store_path: Path | str | None) -> None:
    """NAME is a name of NODE (an actor, person or place)."""
    _curate(store_path, lambda c: f"alias: {node} is also {name!r}; {c.alias(node, name)} canonical quads changed")


@curate.command("list")
@store_option
def curate_list(store_path: Path | str | None) -> None:
    """List the overrides, numbered, in the order given."""
    _curate(store_path, lambda c: "\n".join(str(e) for e in c.entries()) or "no overrides")


@curate.command("undo")
@store_option
def curate_undo(store_path: Path | str | None) -> None:
    """Remove the last override."""
    _curate(store_path, lambda c: f"undone: {c.undo()}")


def main() -> None:
    """Entry point of the `kg` console script."""
    cli(prog_name="kg")
