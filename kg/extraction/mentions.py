"""The records every later stage points at: sentences and entity mentions, and the article's index of them.

An :class:`EntityMention` says that a stretch of text names an actor, a
person or a place (``ref`` = ``kind/key``). The :class:`Mentions` index
finds the mentions inside any tokens, so each stage asks "who is named in
this phrase?" without scanning the article.

>>> m = EntityMention("place/sy/raqqa", "Raqa", 10, 14, "Raqqa")
>>> m.kind, m.key
('place', 'sy/raqqa')
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the records need no parse: later stages use them without importing spaCy
    from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article, with character offsets into its text (into its title when ``in_title``)."""

    text: str
    start: int
    end: int
    in_title: bool = False


@dataclass(frozen=True)
class EntityMention:
    """A name met in the text and the entity it stands for (``ref`` = ``kind/key``)."""

    ref: str
    surface: str
    start: int
    end: int
    label: str  # the canonical name (for people and places found only in text)
    affiliation: str | None = None  # person -> actor ref
    parent: str | None = None  # place found in text -> the place ref that contains it
    place_kind: str | None = None  # place found in text: "neighbourhood", "village", "site"...
    classes: tuple[str, ...] = ()  # actor found in text: its CKG classes ("ArmedGroup")

    @property
    def kind(self) -> str:
        """``actor``, ``person`` or ``place``."""
        return self.ref.partition("/")[0]

    @property
    def key(self) -> str:
        """The ref without its kind."""
        return self.ref.partition("/")[2]


def mention_of(span: Span, ref: str, label: str, **extra) -> EntityMention:
    """The mention of ``ref`` that ``span`` is, with the span's text and character offsets."""
    return EntityMention(ref, span.text, span.start_char, span.end_char, label, **extra)


def unique(items: Iterable[str]) -> list[str]:
    """``items`` once each, in the order first met.

    >>> unique(["actor/a", "actor/b", "actor/a"])
    ['actor/a', 'actor/b']
    """
    return list(dict.fromkeys(items))


def slug(name: str) -> str:
    """A readable, stable key part for a name: ASCII, lower case, hyphens.

    >>> slug("Deir ez-Zor")
    'deir-ez-zor'
    >>> slug("  Syrian Observatory for Human Rights ")
    'syrian-observatory-for-human-rights'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’‘'`ʿʾ]", "", text)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


class Mentions:
    """The entity mentions of one article, in text order, indexed by token."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.all: list[EntityMention] = []
        self._by_token: dict[int, list[EntityMention]] = {}
        self._tokens: dict[EntityMention, tuple[int, int]] = {}
        self._affiliations: dict[str, str] = {}  # ref -> the affiliation of its first mention that has one
        self._place_kinds: dict[str, str] = {}  # ref -> the place kind of its first mention that has one

    def add(self, start: int, end: int, mention: EntityMention) -> None:
        """Record ``mention`` as covering tokens ``start`` to ``end`` (exclusive)."""
        self.all.append(mention)
        self._tokens[mention] = (start, end)
        if mention.affiliation:
            self._affiliations.setdefault(mention.ref, mention.affiliation)
        if mention.place_kind:
            self._place_kinds.setdefault(mention.ref, mention.place_kind)
        for i in range(start, end):
            self._by_token.setdefault(i, []).append(mention)

    def at(self, i: int) -> list[EntityMention]:
        """The mentions covering token ``i``."""
        return self._by_token.get(i, [])

    def tokens_of(self, mention: EntityMention) -> tuple[int, int]:
        """The token range a mention covers."""
        return self._tokens[mention]

    def within(self, tokens: Iterable[Token] | Span) -> list[EntityMention]:
        """The mentions that cover any of ``tokens``, each once, in the order met.

        A span is read by its token range, without making a Token object of each of its words.
        """
        start, end = getattr(tokens, "start", None), getattr(tokens, "end", None)
        indices: Iterable[int] = range(start, end) if isinstance(start, int) and isinstance(end, int) \
            else (token.i for token in tokens)
        seen: dict[EntityMention, None] = {}
        for i in indices:
            for m in self._by_token.get(i, ()):
                seen.setdefault(m, None)
        return list(seen)

    def affiliation(self, ref: str) -> str:
        """The actor a ref stands for: a person's affiliation, else the ref itself."""
        return self._affiliations.get(ref, ref)

    def place_kind(self, ref: str) -> str | None:
        """The kind of place a described place's mentions give it (None for other refs)."""
        return self._place_kinds.get(ref)
