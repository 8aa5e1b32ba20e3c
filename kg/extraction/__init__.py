"""Parsed article -> what it says: entity mentions and the events it tells, assembled at article level.

The stages, in the order the data flows (each a module of this package):

- :mod:`.entities` and :mod:`.places`: actors, people and places named (places the text describes included);
- :mod:`.frames`: a trigger's event type, from its instrument, and whether it happened;
- :mod:`.roles`: who did it to whom, where, who claims or accuses;
- :mod:`.when`: the words that date it; :mod:`.figures`: the casualty figures of its sentence;
- :mod:`.events`: event and figure mentions, sentence by sentence;
- :mod:`.assembly`: all tellings of an event in one article made one, before it is kept or dropped;
- :mod:`.article`: the stages run in order on one parsed article.

The records later stages use without a parse (:mod:`.mentions`, :mod:`.figures`,
:mod:`.placebook`) import no spaCy, and neither does ``import kg.extraction``:
the names below are imported from their modules when first asked for, so the
store, the queries and the CLI can use resolution's records without loading
spaCy.

Cross-article identity is not decided here: :mod:`kg.resolution` does that.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.extraction.article import ArticleReading, Record, analysed_text, read_article, read_doc
    from kg.extraction.assembly import ArticleEvent
    from kg.extraction.control import ControlMention
    from kg.extraction.events import EventMention, FiguresMention
    from kg.extraction.figures import Figures
    from kg.extraction.mentions import EntityMention, Sentence, slug
    from kg.extraction.placebook import PlaceBook

_HOME = {
    "ArticleReading": "article", "Record": "article", "analysed_text": "article", "read_article": "article",
    "read_doc": "article", "ArticleEvent": "assembly", "ControlMention": "control", "EventMention": "events",
    "FiguresMention": "events", "Figures": "figures", "EntityMention": "mentions", "Sentence": "mentions",
    "slug": "mentions", "PlaceBook": "placebook",
}
"""Each public name -> the module of this package that defines it."""


def __getattr__(name: str) -> Any:
    """``kg.extraction.NAME``: imported from its module on first use (only some of them import spaCy)."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})


__all__ = sorted(_HOME)
