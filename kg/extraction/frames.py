"""Trigger -> event frame: the event type, read from the trigger with its instrument, and whether it happened.

The trigger word alone rarely settles the type: an "attack" by helicopters
is an air strike, one with mortars is shelling, a "suicide attack" is a
bombing; "strikes" are air strikes only when aircraft (or an air force) are
named. :func:`event_type` reads the instruments named in the trigger's own
phrase, its subject and its objects (words in ``[instruments]`` of
``kg/data/triggers.toml``) and decides.

:func:`is_factual` keeps apart what the text says happened from plans,
threats, hypotheses and denials ("Russia threatened to launch air strikes",
"the regime denied that its warplanes bombed"). Accusations and claims of
responsibility are about who did it, not whether: they are kept (see
:mod:`kg.extraction.roles`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from kg.extraction.figures import PEOPLE
from kg.extraction.syntax import noun_core, own_phrase, text_of
from kg.lexicon import Lexicon

def instrument_tokens(trigger: Span) -> list[Token]:
    """The words that may name the trigger's instrument: its phrase, its verb's subject, objects and "with" phrases."""
    root = trigger.root
    tokens: dict[int, Token] = {t.i: t for t in trigger}
    tokens.update((t.i, t) for t in own_phrase(root))
    verb = root
    if root.pos_ in {"NOUN", "PROPN"} and root.dep_ in {"dobj", "nsubj", "nsubjpass", "attr"}:
        verb = root.head  # "a car bomb caused the blast"
    elif root.pos_ in {"NOUN", "PROPN"} and root.dep_ == "pobj" and root.head.head.pos_ in {"VERB", "AUX"}:
        verb = root.head.head  # "a suicide bomber killed four in an attack on a hospital"
    if verb.pos_ in {"VERB", "AUX"}:
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass", "dobj", "agent"}:
                tokens.update((t.i, t) for t in noun_core(child))
            elif child.dep_ == "prep" and child.lower_ in {"with", "by", "from", "using"}:
                tokens.update((t.i, t) for t in child.subtree)
    return [tokens[i] for i in sorted(tokens)]


def instruments(tokens: Iterable[Token], lexicon: Lexicon) -> set[str]:
    """The instrument kinds named among ``tokens``: "air", "ground", "bomb", "chemical"."""
    words = [t.lower_ for t in tokens]
    by_first = _instrument_index(lexicon)
    found: set[str] = set()
    for i, word in enumerate(words):
        for parts, kind in by_first.get(word, ()):
            if kind not in found and tuple(words[i:i + len(parts)]) == parts:
                found.add(kind)
    return found


@lru_cache(maxsize=2)
def _flying(lexicon: Lexicon) -> frozenset[str]:
    """Refs of the actors with an air force ("strikes" by them are air strikes)."""
    return frozenset(f"actor/{a.key}" for a in lexicon.actors.values() if a.aircraft)


@lru_cache(maxsize=2)
def _instrument_index(lexicon: Lexicon) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Instrument phrases by their first word, as (words, kind)."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for kind, phrases in lexicon.instruments.items():
        for phrase in phrases:
            parts = tuple(phrase.split())
            index.setdefault(parts[0], []).append((parts, kind))
    return index


def event_type(trigger: Span, sent: Span, lexicon: Lexicon, actors: Iterable[str] = ()) -> str | None:
    """The event type a trigger tells, given its instruments, or None when it tells no event here.

    Args:
        trigger: the trigger span (``label_`` is the type its words suggest).
        sent: its sentence.
        lexicon: the domain lexicons.
        actors: actor refs named in the sentence, for triggers that need an air force ("strikes" by Russia).
    """
    suggested = trigger.label_
    text = trigger.text.lower()
    kinds = instruments(instrument_tokens(trigger), lexicon)
    entry = lexicon.trigger(suggested)
    if "chemical" in kinds and "ground" not in kinds:
        kinds.add("air")  # chemical attacks are told by their delivery; unnamed, it came from the air
    if trigger_lemma(trigger) in lexicon.attack_words or trigger.root.lemma_.lower() in lexicon.attack_words:
        if "air" in kinds:
            return "AirStrike"
        if "ground" in kinds:
            return "Shelling"
        if "bomb" in kinds:
            return "Bombing"
    if suggested == "Bombing" and text in {"bombing", "bombings", "bombardment"} and "bomb" not in kinds - {"air"} \
            and ("air" in kinds or "air" in instruments((t for t in sent if t.i not in range(trigger.start, trigger.end)),
                                                        lexicon)):
        return "AirStrike"  # "the bombing ... by Assad's air force": a bombing told with aircraft came from the air
    if suggested == "Shelling" and "air" in kinds:
        return "AirStrike"  # "regime planes fired rockets": an aircraft's munitions make an air strike
    if text in lexicon.ground_unless_air and "air" not in kinds | instruments(sent, lexicon):
        return "Shelling"  # "regime bombardment" with no aircraft named: guns
    if trigger_lemma(trigger) in entry.needs_air_context or text in entry.needs_air_context:
        sentence_kinds = instruments(sent, lexicon)
        if "air" not in kinds | sentence_kinds and not set(actors) & _flying(lexicon):
            return None
    return suggested


def trigger_lemma(span: Span) -> str:
    """A trigger's words as the lexicon lists them: the lemma of one word, the lower-case text of a phrase."""
    return span.root.lemma_.lower() if len(span) == 1 else span.text.lower()


def is_factual(trigger: Span, sent: Span, lexicon: Lexicon) -> bool:
    """Whether the sentence says the event happened (not a plan, threat, hypothesis, denial or description).

    >>> from kg.nlp import blank_pipeline
    >>> doc = blank_pipeline()("No air strikes hit the town.")
    >>> is_factual(doc.spans["triggers"][0], doc[:], Lexicon.load())
    True
    """
    root = trigger.root
    entry = lexicon.trigger(trigger.label_) if any(t.type == trigger.label_ for t in lexicon.triggers) else None
    noun = entry is not None and root.lower_ in entry.nouns and not any(c.dep_ == "dobj" for c in root.children)
    if root.pos_ == "VERB" and root.dep_ == "acl" and root.tag_ == "VBG" and not noun:
        return False  # "the coalition fighting the jihadists" describes, it does not tell ("regime shelling" tells)
    if trigger.label_ == "Capture" and root.pos_ == "VERB" and any(
            c.dep_ in {"dobj", "nsubjpass"} and re.fullmatch(PEOPLE, c.lower_) for c in root.children):
        return False  # "civilians who were captured": people taken are not a place changing hands
    if root.tag_ == "VBG" and root.dep_ == "pcomp" and root.head.lower_ in {"of", "for"} \
            and root.head.head.lemma_.lower() not in lexicon.accuse_verbs | lexicon.claim_verbs:
        return False  # "the urgency of fighting IS": an aim, not an event ("accused X of shelling Y" tells one)
    if root.dep_ == "compound" and root.head.pos_ == "NOUN" and trigger.end <= root.head.i \
            and root.head.lower_ not in lexicon.event_nouns \
            and root.head.i not in _trigger_tokens(trigger.doc):
        return False  # "rocket launcher", "bomb squad": a thing, not an event
    if root.pos_ == "VERB" and root.dep_ in {"acl", "advcl"} and any(c.dep_ == "aux" and c.tag_ == "TO" for c in
                                                                     root.children):
        return False  # "an offensive to retake Raqqa", "launched a campaign to seize it": an aim, not an event
    for token in trigger:
        if any(c.dep_ == "neg" for c in token.children):
            return False
    if any(c.lower_ in lexicon.hedges and c.dep_ in {"amod", "det", "compound", "nummod"} for c in root.children):
        return False
    if any(c.dep_ == "aux" and c.lower_ in lexicon.modals | {"will", "'ll"} for c in root.children):
        return False
    head = root
    for _ in range(4):
        if head.head.i == head.i or head.dep_ in {"advcl", "relcl", "parataxis"}:
            break
        child, head = head, head.head
        if head.lemma_.lower() in lexicon.governing_verbs and child.dep_ not in {"nsubj", "nsubjpass"} \
                and not (child.dep_ == "compound" and head.lower_ in lexicon.event_nouns):
            return False  # "plans to attack", "tried to storm"; but "an attack attempt" was made
        if child.dep_ in {"conj", "xcomp"} and any(c.dep_ == "acomp" and c.lemma_.lower() in lexicon.governing_verbs
                                                   for c in head.children):
            return False  # "Turkey is determined to push ahead and capture Al Bab": an aim
        if head.lemma_.lower() in lexicon.hedges and head.pos_ == "NOUN":
            return False
        if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in lexicon.modals | {"will"} for c in head.children) \
                and head.pos_ in {"VERB", "AUX"}:
            return False
        if any(c.dep_ == "neg" for c in head.children) and head.pos_ in {"VERB", "AUX"}:
            return False
        if head.dep_ == "ROOT":
            break
    if root.lemma_ in {"say", "tell"}:
        return False
    first_if = next((t.i for t in sent if t.lower_ in {"if", "unless", "whether"}), sent.end)
    return "?" not in text_of(sent) and root.i <= first_if


def _trigger_tokens(doc: Doc) -> set[int]:
    """The tokens of the Doc's triggers (found once per Doc)."""
    tokens = doc.user_data.get("kg_trigger_tokens")
    if tokens is None:
        tokens = {i for s in doc.spans["triggers"] for i in range(s.start, s.end)}
        doc.user_data["kg_trigger_tokens"] = tokens
    return tokens
