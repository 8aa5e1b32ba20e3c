"""The `kg` command: thin, one library call per subcommand.

Every KgError becomes a one-line message on stderr and a non-zero exit code:
1 for an error that stopped the command, 3 when a build skipped some input.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.errors import KgError
from kg.store import EXPORT_FORMATS, GraphStore, default_store_path

EXIT_ERROR = 1
EXIT_SKIPPED = 3

store_option = click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
                            help="Store directory (default: $KG_STORE or ./kg-store).")


def _fail(err: KgError) -> None:
    click.echo(f"kg: {err}", err=True)
    sys.exit(EXIT_ERROR)


def _parse_columns(spec: str | None) -> dict[str, str] | None:
    if not spec:
        return None
    pairs = [part.partition("=") for part in spec.split(",") if part.strip()]
    bad = [p[0] for p in pairs if not p[1] or not p[2].strip()]
    if bad:
        raise click.BadParameter(f"expected field=column pairs such as id=unit_id,text=body; got {spec!r}")
    return {k.strip(): v.strip() for k, _, v in pairs}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="conflict-kg")
def cli() -> None:
    """conflict-kg: news about the war in Syria -> a queryable knowledge graph."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--columns", help="CSV layout other than FA-KES: field=column pairs, e.g. id=uid,text=body,published=date.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
def build(paths: tuple[Path, ...], store_path: Path | None, columns: str | None, progress: bool | None) -> None:
    """Read articles from PATHS (files, folders, CSV, JSONL, HTML) into the store."""
    from kg.build import build as run_build

    try:
        store = GraphStore.open(store_path or default_store_path())
        report = run_build(list(paths), store=store, columns=_parse_columns(columns), progress=progress,
                           on_problem=lambda p: click.echo(f"kg: {p}", err=True))
        counts = store.counts()
        store.close()
    except KgError as err:
        _fail(err)
    click.echo(f"{report.articles} articles ({report.added} added, {report.replaced} replaced, "
               f"{report.unchanged} unchanged), {report.skipped} inputs skipped")
    _print_counts(counts)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


def _print_counts(counts: dict[str, int]) -> None:
    click.echo(f"store: {counts['articles']} articles, {counts['actors']} actors ({counts['people']} people), "
               f"{counts['places']} places, {counts['events']} events, {counts['quads']} quads")
    by_type = {k.split(".", 1)[1]: v for k, v in counts.items() if k.startswith("events.")}
    if by_type:
        click.echo("events by type: " + ", ".join(f"{k} {v}" for k, v in by_type.items()))


@cli.command()
@store_option
def stats(store_path: Path | None) -> None:
    """Print counts by class: articles, actors, places, events by type, quads."""
    try:
        store = GraphStore.open(store_path or default_store_path(), read_only=True)
        counts = store.counts()
    except KgError as err:
        _fail(err)
    _print_counts(counts)


@cli.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="nquads", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="File to write (default: stdout).")
@click.option("--ontology/--no-ontology", default=True, show_default=True, help="Include the ontology graph.")
def export(store_path: Path | None, fmt: str, output: Path | None, ontology: bool) -> None:
    """Write the graph as N-Quads, TriG, Turtle or N-Triples."""
    try:
        store = GraphStore.open(store_path or default_store_path(), read_only=True)
        if output is None:
            store.dump(sys.stdout.buffer, fmt, ontology=ontology)
        else:
            store.dump(str(output), fmt, ontology=ontology)
    except KgError as err:
        _fail(err)
    except OSError as err:
        _fail(KgError(f"{output}: cannot write: {err.strerror or err}"))


@cli.command()
@store_option
def validate(store_path: Path | None) -> None:
    """Check the store against the SHACL shapes in ontology/shapes.ttl."""
    from kg.validation import validate as run_validate

    try:
        store = GraphStore.open(store_path or default_store_path(), read_only=True)
        report = run_validate(store.store)
    except KgError as err:
        _fail(err)
    for line in report.results:
        click.echo(line)
    click.echo(f"{report.violations} violations")
    if not report.conforms:
        sys.exit(EXIT_ERROR)


def main() -> None:
    """Entry point of the `kg` console script."""
    cli(prog_name="kg")
