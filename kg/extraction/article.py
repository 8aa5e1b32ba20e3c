"""One parsed article -> what it says: its entity mentions, its events assembled, its statements of control.

This is where the stages of :mod:`kg.extraction` are run in order on a Doc;
it needs spaCy (the stages read its parse).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from kg.extraction.assembly import ArticleEvent, assemble, focus_place
from kg.extraction.control import ControlMention, control_mentions
from kg.extraction.entities import read_entities
from kg.extraction.events import EventMention, FiguresMention, event_mentions
from kg.extraction.mentions import EntityMention
from kg.extraction.placebook import PlaceBook
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon
from kg.nlp import doc_text
from kg.reading import Article

Record = EntityMention | EventMention | FiguresMention


@dataclass(frozen=True)
class ArticleReading:
    """What one article says: its entity mentions and the events it tells."""

    mentions: tuple[EntityMention, ...]
    events: tuple[ArticleEvent, ...]
    place_parents: dict[str, str]  # a described place with no container named -> the one its events show
    control: tuple[ControlMention, ...] = ()  # statements of who holds a place ("IS-held Raqqa")


def analysed_text(article: Article) -> str:
    """The text the pipeline parses: the title as the lead line, then the body (unless it starts with the title).

    >>> analysed_text(Article(id="a", text="Rebels took the town.", title="Rebels take Mare"))
    'Rebels take Mare\\n\\nRebels took the town.'
    >>> analysed_text(Article(id="a", text="Rebels take Mare. Rebels took the town.", title="Rebels take Mare"))
    'Rebels take Mare. Rebels took the town.'
    """
    title = (article.title or "").strip()
    if not title or _folded(article.text[:len(title) + 40]).startswith(_folded(title)):
        return article.text
    return f"{title}\n\n{article.text}"


def _folded(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def read_doc(doc: Doc, *, lexicon: Lexicon | None = None, gazetteer: Gazetteer | None = None,
             title_chars: int = 0) -> Iterator[Record]:
    """Every mention in ``doc``: entity mentions, then events and figures, in text order."""
    lexicon = lexicon or Lexicon.load()
    gazetteer = gazetteer or Gazetteer.load()
    mentions = read_entities(doc, lexicon, gazetteer)
    yield from mentions.all
    yield from event_mentions(doc, mentions, lexicon, gazetteer, title_chars=title_chars)


def read_article(article: Article, doc: Doc, *, lexicon: Lexicon | None = None,
                 gazetteer: Gazetteer | None = None) -> ArticleReading:
    """What ``article`` (parsed as ``doc``, from :func:`analysed_text` or its bare text) says."""
    lexicon = lexicon or Lexicon.load()
    gazetteer = gazetteer or Gazetteer.load()
    text = doc_text(doc)
    title_chars = len(text) - len(article.text) if text != article.text and text.endswith(article.text) else 0
    mentions = read_entities(doc, lexicon, gazetteer)
    told = list(event_mentions(doc, mentions, lexicon, gazetteer, title_chars=title_chars))
    places = PlaceBook.of(gazetteer, mentions.all)
    sides = {m.ref: m.affiliation for m in mentions.all if m.affiliation}
    events = assemble(told, places, published=article.reference_date, sides=sides,
                      focus=focus_place(mentions.all, places))
    body = [m if title_chars == 0 else _shifted(m, title_chars) for m in mentions.all]
    control = tuple(control_mentions(doc, mentions, lexicon, title_chars=title_chars))
    return ArticleReading(tuple(body), tuple(events), dict(places.inferred), control)


def _shifted(mention: EntityMention, title_chars: int) -> EntityMention:
    """A mention's offsets into the article's text (a mention in the title keeps them into the title)."""
    if mention.start < title_chars:
        return mention
    return replace(mention, start=mention.start - title_chars, end=mention.end - title_chars)


__all__ = ["ArticleReading", "Record", "analysed_text", "read_article", "read_doc"]
