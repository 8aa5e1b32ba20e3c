"""Doc -> mentions of actors and people (and, through :mod:`kg.extraction.places`, places).

Actors come from the lexicon's names marked by ``conflict_spans``; armed
groups the lexicon does not know become actors when the text says what they
are ("the Hamza Brigade", "the Sultan Murad militia", "the Fatah Mubin
Operation Room"). Generic references ("the regime", "the jihadists") stand
for the matching actor named nearest before them (else after, else the
phrase's default). People are the lexicon's, or PERSON names with a first
and a last name; a short form ("Abdel Rahman") joins the full name met
before it, and a person's affiliation comes from a title or apposition next
to the name ("Observatory director Rami Abdel Rahman", "Steifo, vice-president
of the Syrian Coalition").
"""
from __future__ import annotations

from bisect import bisect_left

from functools import lru_cache

from spacy.tokens import Doc, Span

from kg.extraction.mentions import EntityMention, Mentions, mention_of, slug
from kg.extraction.places import place_mentions
from kg.extraction.syntax import doc_tokens, lower_words, sentence_of
from kg.nlp import FORCE_ACTIONS, FORCE_NOUNS
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon

CONNECTORS = frozenset({"al", "el", "of", "the", "ul", "-"})


def read_entities(doc: Doc, lexicon: Lexicon, gazetteer: Gazetteer) -> Mentions:
    """Every actor, person and place mention of ``doc``, with generic references resolved."""
    found: list[tuple[Span, EntityMention]] = []
    for span in doc.spans["actors"]:
        found.append((span, mention_of(span, f"actor/{span.label_}", lexicon.actors[span.label_].label)))
    found += _new_groups(doc, lexicon, {i for s, _ in found for i in range(s.start, s.end)})
    found += _coordinated_demonyms(doc, lexicon, {i for s, _ in found for i in range(s.start, s.end)})
    actors = {i for s, _ in found for i in range(s.start, s.end)}  # "Jaish al-Fateh" is a group, not a person
    groups = {i for s, m in found if m.key.startswith("group/") for i in range(s.start, s.end)}
    places = [(s, m) for s, m in place_mentions(doc, gazetteer)  # "Hamza" in "the Hamza Brigade" is no place
              if not groups & set(range(s.start, s.end))]
    described = {i for s, m in places if m.parent for i in range(s.start, s.end)}
    people = [(s, m) for s, m in _people(doc, lexicon) if not (described | actors) & set(range(s.start, s.end))]
    found += people
    positions = sorted([(s.start, m.ref) for s, m in found if m.kind == "actor"] +
                       [(s.start, m.affiliation) for s, m in people if m.affiliation])
    for span in doc.spans["generic"]:
        ref = _generic(lexicon, span, positions)
        if ref:
            found.append((span, mention_of(span, ref, lexicon.actors[ref.split("/", 1)[1]].label)))
    found += places
    capitals = {a.capital: a for a in lexicon.actors.values() if a.capital}
    for span, _ in places:
        actor = capitals.get(span.text)
        if actor is not None:  # "Moscow hosted Kerry": the capital acts for the state
            found.append((span, mention_of(span, f"actor/{actor.key}", actor.label)))
    found.sort(key=lambda pair: (pair[0].start, pair[0].end))
    mentions = Mentions(doc)
    for span, mention in found:
        mentions.add(span.start, span.end, mention)
    return mentions


def _new_groups(doc: Doc, lexicon: Lexicon, taken: set[int]) -> list[tuple[Span, EntityMention]]:
    """Armed groups named by what they are: "the Hamza Brigade", "Liwa al-Quds", "the Fatah Mubin Operation Room".

    A run of capitalised words (joined by "al", "of") ending in a unit noun ("Brigade", "Militia", "Operation
    Room") or opened by an Arabic word for a unit ("Liwa", "Jaish", "Kataib"); two words at least, none of
    them part of a name the lexicon knows.
    """
    out = []
    lower = lower_words(doc)
    capital = [t.is_title or word.startswith(("al-", "el-")) for t, word in zip(doc_tokens(doc), lower)]
    i = 0
    while i < len(doc):
        if not capital[i]:
            i += 1
            continue
        j = i
        while j < len(doc) and j not in taken and (capital[j] or (j > i and lower[j] in CONNECTORS)):
            j += 1
        while j > i and lower[j - 1] in CONNECTORS:
            j -= 1
        while i < j and (lower[i] in CONNECTORS or (doc[i].is_sent_start and doc[i].pos_ != "PROPN")):
            i += 1  # "The Hamza Brigade", "Fighters of the Raqqa Brigade" at a sentence's start
        words = lower[i:j]
        after = lower[j] if j < len(doc) else ""
        if len(words) >= 2 and (words[-1] in lexicon.unit_nouns or words[0] in lexicon.unit_openers):
            span = doc[i:j]
            out.append((span, mention_of(span, f"actor/group/{slug(span.text)}", span.text, classes=("ArmedGroup",))))
        elif words and after in lexicon.community_nouns and j not in taken:  # "the al-Sheitaat tribe"
            span = doc[i:j + 1]
            name = doc[i:j].text
            if _person_name(name, lexicon):
                name = span.text  # "the Assad clans" are not Bashar al-Assad: the noun stays in their name
            out.append((span, mention_of(span, f"actor/group/{slug(name)}", name, classes=("Organisation",))))
        i = max(j, i + 1)
    return out


def _person_name(name: str, lexicon: Lexicon) -> bool:
    """Whether ``name`` is a name a well-known person goes by ("Assad")."""
    folded = name.casefold()
    return any(folded == n.casefold() for p in lexicon.people.values() for n in (p.label, *p.aliases))


def _coordinated_demonyms(doc: Doc, lexicon: Lexicon, taken: set[int]) -> list[tuple[Span, EntityMention]]:
    """The first of two forces named together: "Russian" in "Russian and regime warplanes", "Syrian or Russian jets"."""
    by_demonym = {a.demonym: a for a in lexicon.actors.values() if a.demonym}
    forces = set(FORCE_NOUNS) | {w.split()[-1] for w in FORCE_ACTIONS}
    out = []
    lower = lower_words(doc)
    for token in doc_tokens(doc)[:-2]:
        actor = by_demonym.get(token.text)
        if actor is None or token.i in taken or lower[token.i + 1] not in {"and", "or"}:
            continue
        rest = doc[token.i + 2:min(len(doc), token.i + 6)]
        if any(t.lower_ in forces for t in rest) and any(t.i in taken or t.text in by_demonym for t in rest[:2]):
            span = doc[token.i:token.i + 1]
            out.append((span, mention_of(span, f"actor/{actor.key}", actor.label)))
    return out


def _people(doc: Doc, lexicon: Lexicon) -> list[tuple[Span, EntityMention]]:
    """People: known ones by key; others by their full name, short forms linked to it."""
    out = []
    full_names: dict[str, str] = {}  # last word -> full name
    spans = sorted(doc.spans["people"], key=lambda s: s.start)
    for span in spans:
        if span.label_ == "?" and len(span) > 1:
            full_names.setdefault(span[-1].text, span.text)
    for span in spans:
        if span.label_ != "?":
            entry = lexicon.people[span.label_]
            aff = f"actor/{entry.affiliation}" if entry.affiliation else None
            out.append((span, mention_of(span, f"person/{entry.key}", entry.label, affiliation=aff)))
            continue
        name = full_names.get(span.text, span.text) if len(span) == 1 else span.text
        if len(name.split()) < 2 or not name[0].isupper() or name.lower() in _actor_aliases(lexicon):
            continue
        out.append((span, mention_of(span, f"person/{slug(name)}", name, affiliation=_affiliation(doc, span, lexicon.titles))))
    return out


def _affiliation(doc: Doc, span: Span, titles: frozenset[str]) -> str | None:
    """Whom an unknown person acts for, from a title or apposition around the name."""
    sent = sentence_of(span)
    before = doc[max(sent.start, span.start - 6):span.start]
    titled = any(t.lower_ in titles for t in before)
    covering, starting = _actors_by_token(doc)
    for token in reversed(list(before)):
        if token.i in covering and (titled or token.i == span.start - 1):
            return f"actor/{covering[token.i].label_}"
    after = doc[span.end:min(sent.end, span.end + 8)]
    for i, token in enumerate(after):
        if token.lower_ in {"of", "for", "from"} or (token.text == "," and i == 0) or token.lower_ in titles:
            near = [s for start in range(max(span.end, token.i), span.end + 9) for s in starting.get(start, ())]
            if near:  # the first of them in the Doc's order of actors
                return f"actor/{min(near, key=lambda pair: pair[0])[1].label_}"
            if token.lower_ in {"of", "for", "from"}:
                break
    return None


def _actors_by_token(doc: Doc) -> tuple[dict[int, Span], dict[int, list[tuple[int, Span]]]]:
    """Token -> the first actor span covering it; token -> the actor spans starting there, each with its place in
    ``doc.spans["actors"]`` (found once per Doc)."""
    found = doc.user_data.get("kg_actors_by_token")
    if found is None:
        covering: dict[int, Span] = {}
        starting: dict[int, list[tuple[int, Span]]] = {}
        for n, s in enumerate(doc.spans["actors"]):
            for i in range(s.start, s.end):
                covering.setdefault(i, s)
            starting.setdefault(s.start, []).append((n, s))
        found = doc.user_data["kg_actors_by_token"] = (covering, starting)
    return found


def _generic(lexicon: Lexicon, span: Span, positions: list[tuple[int, str]]) -> str | None:
    """The actor a generic reference stands for: nearest candidate before it, else after, else the default."""
    entry = lexicon.generic.get(span.label_)
    if entry is None:
        return None
    candidates = {f"actor/{c}" for c in entry.candidates}
    here = bisect_left(positions, (span.start,))  # ``positions`` is sorted: read out from the reference
    before = next((positions[k][1] for k in range(here - 1, -1, -1) if positions[k][1] in candidates), None)
    if before is not None:
        return before
    after = bisect_left(positions, (span.start + 1,))
    return next((positions[k][1] for k in range(after, len(positions)) if positions[k][1] in candidates),
                f"actor/{entry.default}" if entry.default else None)


@lru_cache(maxsize=2)
def _actor_aliases(lexicon: Lexicon) -> frozenset[str]:
    """Every actor alias, lower-cased, once per lexicon (not once per person named)."""
    return frozenset(a.lower() for entry in lexicon.actors.values() for a in entry.aliases)

