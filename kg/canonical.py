"""The resolution stage run over a store: every claim in, the canonical layer out.

Reads every article's claims and the analysts' overrides (a plain file in the
store's folder, or the curation graph of a store on a server; see
:mod:`kg.curation`), resolves them (:mod:`kg.resolution`) and makes the
canonical graph hold exactly the result (less what the entities graph already
says, so that every triple is stored once), in one transaction that writes
only what changed: a second run over the same claims changes nothing.

>>> from kg.store import GraphStore
>>> store = GraphStore.open(None)
>>> resolve_store(store), resolve_store(store)  # an empty store: the first run writes its state, the second skips
(1, 0)
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import CurationError, KgError, ResolutionError, one_line
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon
from kg.control import control_periods
from kg.rdf import canonical_quads, control_quads, curation_quads, state_quad
from kg.resolution import Override, Resolver
from kg.store import GraphStore
from kg.vocab import CANONICAL_GRAPH, CURATION_GRAPH, ENTITIES_GRAPH

CURATION_FILE = "curation.tsv"
"""The overrides file, in the store's folder: one override per line (see :func:`read_overrides`)."""
ACTIONS = ("same", "different", "alias")


def curation_path(store: GraphStore) -> Path | None:
    """Where ``store`` keeps its overrides (None for a store in memory)."""
    return store.path / CURATION_FILE if store.path is not None else None


def read_overrides(path: Path | None) -> list[list[str]]:
    """The override lines of ``path``: ``action``, ``first``, ``second``, then an optional note, tab-separated.

    ``first`` and ``second`` are refs (``actor/…``, ``person/…``, ``place/…``) or comma-separated claim refs
    (``claim/<article>/<n>``) for events; for ``alias``, ``second`` is the name. Lines starting with ``#`` and
    blank lines are skipped.

    Raises:
        CurationError: a line that is not an override, naming the file and line.
    """
    if path is None or not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CurationError(f"{path}: cannot read the overrides: {err}") from None
    rows: list[list[str]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3 or fields[0] not in ACTIONS or not fields[1] or not fields[2]:
            raise CurationError(f"{path}:{n}: expected ACTION<tab>FIRST<tab>SECOND with ACTION one of "
                                f"{', '.join(ACTIONS)}; got {line[:80]!r}")
        rows.append(fields)
    return rows


def overrides_of(rows: list[list[str]]) -> list[Override]:
    """The overrides resolution applies for the file's lines (one line about two events links all their claims)."""
    out: list[Override] = []
    for action, first, second, *_ in rows:
        if action == "alias":
            out.append(Override(action, first, second))
            continue
        a, b = first.split(","), second.split(",")
        if action == "same":
            out += [Override(action, a[0], x) for x in (*a[1:], *b)]
        else:
            out += [Override(action, x, y) for x in a for y in b]
    return out


def override_rows(store: GraphStore) -> list[list[str]]:
    """The overrides of ``store``: its file's lines, those a store in memory keeps, or, on a server (which has no
    folder for the file), those its curation graph holds."""
    if store.url is not None:
        return store.stored_overrides()
    return read_overrides(curation_path(store)) if store.path is not None else store.memory_overrides


RULES = tuple(Path(__file__).resolve().parent / name for name in (
    "resolution/__init__.py", "resolution/records.py", "resolution/names.py", "resolution/entities.py",
    "resolution/events.py", "extraction/placebook.py", "admin_areas.py", "canonical.py", "control.py", "rdf.py", "data/resolution.toml",
    "data/actors.toml", "data/people.toml"))
"""What a resolution's result depends on besides the claims and the overrides: its code and the data it reads."""


def resolution_state(store: GraphStore, rows: list[list[str]]) -> str:
    """A digest of everything resolution reads: each article's content hash, the overrides, the rules."""
    digest = hashlib.sha256()
    for text in sorted(store.article_hashes()):
        digest.update(text.encode() + b"\n")
    for row in rows:
        digest.update("\t".join(row).encode() + b"\n")
    for path in RULES:
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def resolve_store(store: GraphStore, *, lexicon: Lexicon | None = None, gazetteer: Gazetteer | None = None,
                  force: bool = False) -> int:
    """Resolve every claim in ``store`` into its canonical graph; returns how many quads changed.

    Skipped (0) when the canonical graph was resolved from the same articles, overrides and rules, unless
    ``force``.
    """
    rows = override_rows(store)
    with _stage("reading the claims"):
        state = resolution_state(store, rows)
        if not force and store.resolved_state() == state:
            return 0
        claims, entity_claims = store.claims()
        labels, names = store.entity_names()
    with _stage("resolving entities and events"):
        resolver = Resolver(lexicon or Lexicon.load(), gazetteer or Gazetteer.load(), overrides_of(rows))
        resolution = resolver.resolve(claims, entity_claims, labels)
    with _stage("control periods"):
        sides = {e.ref: e.affiliation for e in resolution.entities if e.affiliation}
        periods = control_periods(resolution.events, store.control_claims(), dict(resolution.redirects), sides)
    with _stage("canonical quads"):
        named = {**labels, **{e.ref: e.label for e in resolution.entities}}
        quads = canonical_quads(resolution, names) | set(control_quads(periods, named))
        entities = store.graph_triples(ENTITIES_GRAPH)
        canonical = {q for q in quads if q.triple not in entities}
        canonical.add(state_quad(state))
    with _stage("writing"):  # the canonical graph, with the state, last: until it is written, the old state stands
        changed = store.sync_graph(CURATION_GRAPH, curation_quads(rows))
        return changed + store.sync_graph(CANONICAL_GRAPH, canonical)


@contextmanager
def _stage(name: str) -> Iterator[None]:
    """Turn an unexpected error in the resolution stage ``name`` into a one-line ResolutionError.

    >>> with _stage("control periods"):  # doctest: +ELLIPSIS
    ...     raise ValueError("no period")
    Traceback (most recent call last):
    ...
    kg.errors.ResolutionError: resolution failed (control periods): ValueError: no period; the articles are stored...
    """
    try:
        yield
    except KgError:
        raise
    except Exception as exc:
        where = "; ".join([name, *getattr(exc, "__notes__", ())])
        raise ResolutionError(f"resolution failed ({where}): {type(exc).__name__}: {one_line(exc)[:300]}; the "
                              f"articles are stored and the canonical layer is as it was: the next build resolves "
                              f"them again") from exc
