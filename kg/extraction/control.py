"""Who holds a place, as the text states it: "IS-held Raqqa", "the rebel-held town of Ariha", "Raqqa, under
IS control since 2014", "the army controls Palmyra".

A statement is about the place it names, never about a part of it: "rebel-held eastern Aleppo", "the
rebel-held east of the city" and "areas under rebel control" tell nothing of who holds Aleppo (the words for
parts are in ``kg/data/words.toml``, ``[control]``). Captures, surrenders and withdrawals are events
(:mod:`kg.extraction.events`); this module reads the states between them.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.extraction.events import _sentence
from kg.extraction.mentions import EntityMention, Mentions, Sentence
from kg.extraction.syntax import doc_tokens, sentences
from kg.lexicon import Lexicon

_SKIP = frozenset({"the", "a", "of", ",", "-", "full", "total", "complete", "firm", "firmly", "still", "now", "province",
                   "governorate", "capital"})  # and the place words of words.toml ("town", "city", "village")


@dataclass(frozen=True)
class ControlMention:
    """One statement that ``actor`` holds ``place``: since ``since_text`` if the text says ("since 2012")."""

    place: str  # place ref
    actor: str  # actor ref
    sentence: Sentence
    since_text: str | None = None


def control_mentions(doc: Doc, mentions: Mentions, lexicon: Lexicon, *, title_chars: int = 0
                     ) -> Iterator[ControlMention]:
    """Every statement of who holds a place, in text order."""
    words = lexicon.control_words
    tokens = doc_tokens(doc)
    for sent in sentences(doc):
        sentence = None
        for token in tokens[sent.start:sent.end]:
            found = None
            if token.lower_ in words.held and token.i >= 2 and doc[token.i - 1].text == "-":
                found = _held(doc, token, mentions, words)  # "IS-held Raqqa"
            elif token.lower_ == "under":
                found = _under(doc, token, sent, mentions, words)  # "Raqqa, under IS control"
            elif token.lemma_.lower() in words.control_verbs and token.pos_ == "VERB":
                found = _controls(token, mentions, words)  # "the army controls Palmyra"
            if found is None:
                continue
            sentence = sentence or _sentence(sent, title_chars)
            if sentence is None:
                continue
            place, actor = found
            yield ControlMention(place, actor, sentence, _since(token, sent))


def _actor_ending_at(i: int, mentions: Mentions) -> EntityMention | None:
    for m in mentions.at(i):
        if m.kind == "actor" or (m.kind == "person" and m.affiliation):
            return m
    return None


def _actor_ref(m: EntityMention) -> str:
    return m.ref if m.kind == "actor" else m.affiliation or m.ref


def _place_after(doc: Doc, i: int, mentions: Mentions, words, limit: int = 6) -> str | None:
    """The place the words after token ``i`` name, if they name one whole ("the town of Ariha", "Idlib province")."""
    for j in range(i, min(len(doc), i + limit)):
        token = doc[j]
        places = [m for m in mentions.at(j) if m.kind == "place"]
        if places:  # "rebel-held East Aleppo" names a part of Aleppo, not Aleppo
            return None if places[0].surface.split()[0].lower() in words.parts else places[0].ref
        if token.lower_ in words.parts or token.lower_ not in _SKIP | words.place_words:
            return None
    return None


def _held(doc: Doc, held: Token, mentions: Mentions, words) -> tuple[str, str] | None:
    actor = _actor_ending_at(held.i - 2, mentions)
    holder = _actor_ref(actor) if actor is not None else None
    if holder is None and doc[held.i - 2].lower_ in words.holders:
        holder = f"actor/{words.holders[doc[held.i - 2].lower_]}"  # "government-held"
    if holder is None:
        return None
    place = _place_after(doc, held.i + 1, mentions, words)
    return (place, holder) if place else None


def _under(doc: Doc, under: Token, sent: Span, mentions: Mentions, words) -> tuple[str, str] | None:
    """ "under (the full) X control", "under the control of X": the place is what came under it."""
    rest = [t for t in doc[under.i + 1:min(sent.end, under.i + 8)]]
    control = next((t for t in rest if t.lower_ == "control"), None)
    if control is None:
        return None
    actors = [_actor_ref(m) for t in rest for m in mentions.at(t.i) if m.kind == "actor" or m.affiliation]
    actors += [f"actor/{words.holders[t.lower_]}" for t in rest if t.lower_ in words.holders]
    if not actors:
        return None
    place = _place_before(doc, under, sent, mentions, words)
    return (place, actors[0]) if place else None


def _place_before(doc: Doc, under: Token, sent: Span, mentions: Mentions, words) -> str | None:
    """The place a clause says is under someone's control: its subject, or the name just before."""
    head = under.head
    if head.pos_ in {"VERB", "AUX"}:
        subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        head = subjects[0] if subjects else head.head if head.dep_ in {"acl", "relcl"} else head
    if head.lower_ in words.place_words and head.dep_ == "appos":
        head = head.head  # "Raqqa, the first city to fall under IS control"
    if head.lower_ in words.parts:
        return None  # "areas under rebel control"
    places = [m for m in mentions.at(head.i) if m.kind == "place"]
    if places:
        return places[0].ref
    for j in range(under.i - 1, max(sent.start, under.i - 4) - 1, -1):
        token = doc[j]
        places = [m for m in mentions.at(j) if m.kind == "place"]
        if places:
            return places[0].ref
        if token.lower_ in words.parts or token.pos_ in {"NOUN"} and token.lower_ not in words.place_words:
            return None
    return None


def _controls(verb: Token, mentions: Mentions, words) -> tuple[str, str] | None:
    """ "the army controls Palmyra", "Palmyra is controlled by IS"."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    by = next((c for c in verb.children if c.dep_ == "agent"), None)
    passive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subject is not None and obj is not None:
        holder, held = subject, obj
    elif passive is not None and by is not None:
        holder, held = next((c for c in by.children if c.dep_ == "pobj"), None), passive
    else:
        return None
    if holder is None or held.lower_ in words.parts or any(c.lower_ in words.parts for c in held.children) \
            or any(c.dep_ == "advmod" and c.lower_ in words.partly for c in verb.children):
        return None  # "Aleppo is partially controlled by ...": a part of it
    actors = [m for t in holder.subtree for m in mentions.at(t.i) if m.kind == "actor" or m.affiliation]
    places = [m for m in mentions.at(held.i) if m.kind == "place"]
    if not actors or not places:
        return None
    return places[0].ref, _actor_ref(actors[0])


def _since(token: Token, sent: Span) -> str | None:
    """ "since 2012", "since last year" after the statement, in its sentence."""
    doc = token.doc
    for j in range(token.i + 1, min(sent.end, token.i + 10)):
        if doc[j].lower_ == "since":
            dates = [e for e in doc.ents if e.label_ == "DATE" and e.start > j and e.start <= j + 2]
            if dates:
                return "since " + dates[0].text
    return None
