"""Doc -> mentions of actors, places, events and casualty figures, in text order.

The spaCy components in ``kg.nlp`` have marked names and triggers on the Doc;
this module reads the parse around each trigger to find who did what to whom,
where and when, and what figures the sentence gives. It yields small frozen
records; ``kg.resolution`` turns them into canonical entities and events.

A trigger is not an event when the sentence denies, plans, threatens,
proposes or merely discusses it (see ``[not_events]`` in
``kg/data/triggers.toml``).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.figures import PEOPLE, Figures, figures_in, parse_number
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon
from kg.syntax import (SPEECH_VERBS, after_since, clause_head, date_spans, fought, inherited_subject, is_duration,
                       noun_core, own_phrase, speaker, stand_in)

AIR_WORDS = {"air", "aircraft", "airstrike", "airstrikes", "warplane", "warplanes", "jet", "jets", "helicopter",
             "helicopters", "plane", "planes", "drone", "drones", "aerial", "bomber", "bombers", "sortie"}
TITLE_WORDS = {"president", "minister", "secretary", "envoy", "spokesman", "spokeswoman", "ambassador", "leader",
               "chief", "director", "head", "commander", "official", "general", "negotiator", "representative",
               "prime", "foreign", "defence", "defense", "king", "emir", "premier", "deputy", "mediator", "adviser"}
ATTACK_TYPES = ("AirStrike", "Shelling", "Bombing", "Execution", "Massacre", "Battle", "Capture", "Kidnapping", "Surrender")
PLACE_PREPS = {"in", "at", "near", "around", "across", "outside", "inside", "into", "on", "over", "throughout", "of",
               "from", "toward", "towards"}


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article, with character offsets into its text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class EntityMention:
    """A name met in the text and the entity it stands for (``ref`` = ``kind/key``)."""

    ref: str
    surface: str
    start: int
    end: int
    label: str  # the canonical name (for people and neighbourhoods found only in text)
    affiliation: str | None = None  # person -> actor ref
    parent: str | None = None  # neighbourhood -> place ref


@dataclass(frozen=True)
class EventMention:
    """One telling of an event in one sentence."""

    type: str
    trigger: str
    sentence: Sentence
    agents: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    place: str | None = None
    date_text: str | None = None
    figures: Figures | None = None
    same_time_as: str | None = None  # trigger of the sentence's main event, for "... came as X met Y"


@dataclass(frozen=True)
class FiguresMention:
    """Casualty figures in a sentence that tells no event of its own ("Among the 63 killed were 36 civilians")."""

    figures: Figures
    sentence: Sentence


Record = EntityMention | EventMention | FiguresMention


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


# --------------------------------------------------------------------------- the reader


class ArticleReader:
    """Reads one parsed article: entity mentions first, then events in text order."""

    def __init__(self, doc: Doc, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        self.doc = doc
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.by_token: dict[int, list[EntityMention]] = {}
        self.mentions: list[EntityMention] = []
        self._monitor: str | None = None  # "" once looked for and not found
        self.demonyms = {a.demonym: f"actor/{a.key}" for a in lexicon.actors.values() if a.demonym}

    # --- entities

    def entity_mentions(self) -> list[EntityMention]:
        """Every actor, person and place mention, in text order, with generic references resolved."""
        doc = self.doc
        found: list[tuple[Span, EntityMention]] = []
        for span in doc.spans["actors"]:
            found.append((span, self._mention(span, f"actor/{span.label_}", self.lexicon.actors[span.label_].label)))
        people = self._people()
        found += people
        actor_positions = [(s.start, m.ref) for s, m in found if m.ref.startswith("actor/")]
        actor_positions += [(s.start, m.affiliation) for s, m in people if m.affiliation]
        actor_positions.sort()
        for span in doc.spans["generic"]:
            ref = self._generic(span, actor_positions)
            if ref:
                found.append((span, self._mention(span, ref, self.lexicon.actors[ref.split("/", 1)[1]].label)))
        places = self._places()
        found += places
        capitals = {a.capital: a for a in self.lexicon.actors.values() if a.capital}
        for span, mention in places:
            actor = capitals.get(span.text)
            if actor is not None:  # "Moscow hosted Kerry": the capital acts for the state
                found.append((span, self._mention(span, f"actor/{actor.key}", actor.label)))
        found.sort(key=lambda pair: (pair[0].start, pair[0].end))
        for span, mention in found:
            self.mentions.append(mention)
            for i in range(span.start, span.end):
                self.by_token.setdefault(i, []).append(mention)
        return self.mentions

    def _mention(self, span: Span, ref: str, label: str, **extra) -> EntityMention:
        return EntityMention(ref, span.text, span.start_char, span.end_char, label, **extra)

    def _people(self) -> list[tuple[Span, EntityMention]]:
        """People: known ones by key; others by their full name, short forms linked to it."""
        out = []
        full_names: dict[str, str] = {}  # last word -> full name
        spans = sorted(self.doc.spans["people"], key=lambda s: s.start)
        for span in spans:
            if span.label_ != "?" and len(span) > 1:
                continue
            if span.label_ == "?" and len(span) > 1:
                full_names.setdefault(span[-1].text, span.text)
        for span in spans:
            if span.label_ != "?":
                entry = self.lexicon.people[span.label_]
                aff = f"actor/{entry.affiliation}" if entry.affiliation else None
                out.append((span, self._mention(span, f"person/{entry.key}", entry.label, affiliation=aff)))
                continue
            name = full_names.get(span.text, span.text) if len(span) == 1 else span.text
            if len(name.split()) < 2 or not name[0].isupper() or _is_actorish(name, self.lexicon):
                continue
            affiliation = self._affiliation(span)
            out.append((span, self._mention(span, f"person/{slug(name)}", name, affiliation=affiliation)))
        return out

    def _affiliation(self, span: Span) -> str | None:
        """Whom an unknown person acts for, from the words around the name."""
        doc = self.doc
        sent = span.sent
        before = doc[max(sent.start, span.start - 6):span.start]
        titled = any(t.lower_ in TITLE_WORDS for t in before)
        for token in reversed(list(before)):
            if token.text in self.demonyms and titled:
                return self.demonyms[token.text]
            for s in doc.spans["actors"]:
                if s.start <= token.i < s.end and (titled or token.i == span.start - 1):
                    return f"actor/{s.label_}"
        after = doc[span.end:min(sent.end, span.end + 8)]
        for i, token in enumerate(after):
            if token.lower_ in {"of", "for", "from"} or (token.text == "," and i == 0):
                for s in doc.spans["actors"]:
                    if span.end <= s.start <= span.end + 8 and s.start >= token.i:
                        return f"actor/{s.label_}"
                if token.lower_ in {"of", "for", "from"}:
                    break
        return None

    def _generic(self, span: Span, actor_positions: list[tuple[int, str]]) -> str | None:
        """The actor a generic reference stands for: nearest candidate before it, else after, else the default."""
        entry = self.lexicon.generic.get(span.label_)
        if entry is None:
            return None
        candidates = {f"actor/{c}" for c in entry.candidates}
        before = [ref for pos, ref in actor_positions if pos < span.start and ref in candidates]
        if before:
            return before[-1]
        after = [ref for pos, ref in actor_positions if pos > span.start and ref in candidates]
        if after:
            return after[0]
        return f"actor/{entry.default}" if entry.default else None

    def _places(self) -> list[tuple[Span, EntityMention]]:
        out: list[tuple[Span, EntityMention]] = []
        cities: list[tuple[int, str]] = []
        for span in self.doc.spans["places"]:
            if span.label_ == "neighbourhood":
                continue
            place = self.gazetteer.get(span.label_)
            out.append((span, self._mention(span, f"place/{place.key}", place.name)))
            if place.kind == "city":
                cities.append((span.start, place.key))
        for span in self.doc.spans["places"]:
            if span.label_ != "neighbourhood":
                continue
            city_key = self._city_for(span, cities)
            if city_key is None:
                continue
            name = re.sub(r"^(?:the\s+)", "", span.text, flags=re.I)
            hood = self.gazetteer.neighbourhood(name, self.gazetteer.get(city_key))
            out.append((span, self._mention(span, f"place/{hood.key}", hood.name, parent=f"place/{city_key}")))
        return out

    def _city_for(self, span: Span, cities: list[tuple[int, str]]) -> str | None:
        """The city a neighbourhood is in: one named in its sentence after it, else the last one named before."""
        sent = span.sent
        later = [key for pos, key in cities if span.end <= pos < sent.end]
        if later:
            return later[0]
        earlier = [key for pos, key in cities if pos < span.start]
        return earlier[-1] if earlier else None

    # --- events

    def records(self) -> Iterator[Record]:
        """Entity mentions, then event and figure mentions, each in text order."""
        yield from self.entity_mentions()
        triggers_by_sent: dict[int, list[Span]] = {}
        for span in self.doc.spans["triggers"]:
            triggers_by_sent.setdefault(span.sent.start, []).append(span)
        for sent in self.doc.sents:
            sentence = Sentence(sent.text.strip(), sent.start_char + _lead(sent.text), sent.start_char + len(sent.text.rstrip()))
            if not sentence.text:
                continue
            events = [e for t in triggers_by_sent.get(sent.start, []) if (e := self._event(t, sent, sentence))]
            events = _one_per_type(events)
            figures = figures_in(sent.text)
            if figures:
                source = self._source(sent) or self._article_monitor()
                figures = Figures(figures.killed, figures.civilians, figures.injured, figures.qualifier, source)
            if events and figures and not any(e.figures for e in events):
                carrier = next((e for e in events if e.type in ATTACK_TYPES[:5]), events[0])
                events = [EventMention(**{**e.__dict__, "figures": figures}) if e is carrier else e for e in events]
            elif figures and not events:
                yield FiguresMention(figures, sentence)
            yield from events

    def _event(self, trigger: Span, sent: Span, sentence: Sentence) -> EventMention | None:
        event_type = trigger.label_
        root = trigger.root
        if event_type == "Bombing" and trigger.text.lower() in {"bombing", "bombings", "bombardment"} \
                and any(t.lower_ in AIR_WORDS for t in sent if not trigger.start <= t.i < trigger.end):
            event_type = "AirStrike"  # "the bombing ... by Assad's air force"
        entry = self.lexicon.trigger(event_type)
        if self._not_an_event(trigger, root, sent):
            return None
        if trigger.text.lower() in entry.needs_air_context and not any(t.lower_ in AIR_WORDS for t in sent):
            if not any(m.ref in {"actor/syrian-government", "actor/russia", "actor/us-led-coalition"}
                       for m in self._mentions_in(sent)):
                return None
        agents, targets, participants, places = self._roles(trigger, root, entry.object_is)
        place = places[0] if places else self._sentence_place(sent)
        if place is None and event_type == "DiplomaticMeeting":
            place = self._host_capital(trigger)
        if event_type == "DiplomaticMeeting":
            participants = _unique(agents + targets + participants)
            agents, targets = [], []
            if len({self._actor_of(p) for p in participants}) < 2 and place is None:
                return None
        date_text = self._date(trigger, sent, root)
        figures = _victims(root) if event_type == "Execution" else None
        same_time = self._main_event_trigger(trigger, root)
        return EventMention(event_type, trigger.text, sentence, tuple(_unique(agents)), tuple(_unique(targets)),
                            tuple(participants), place, date_text, figures, same_time)

    def _host_capital(self, trigger: Span) -> str | None:
        """Where talks "at the Russian foreign ministry" were held: the host state's capital."""
        for token in [*trigger, *list(trigger.root.ancestors)[:2]]:
            for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "at"):
                for m in self._mentions_in(prep.subtree):
                    actor = self.lexicon.actors.get(m.ref.split("/", 1)[1]) if m.ref.startswith("actor/") else None
                    if actor is not None and actor.capital and (place := self.gazetteer.lookup(actor.capital)):
                        return f"place/{place.key}"
        return None

    def _main_event_trigger(self, trigger: Span, root: Token) -> str | None:
        """For an event told in an "as"/"while"/"when" clause, the trigger of the event of the main clause."""
        clause = clause_head(root)
        if clause.dep_ != "advcl" or not any(c.lower_ in {"as", "while", "when"} and c.dep_ == "mark" for c in clause.children):
            return None
        main = {t.i for t in clause.head.subtree} - {t.i for t in clause.subtree}
        for other in self.doc.spans["triggers"]:
            if other.start != trigger.start and other.root.i in main:
                return other.text
        return None

    def _not_an_event(self, trigger: Span, root: Token, sent: Span) -> bool:
        lex = self.lexicon
        if root.pos_ == "VERB" and root.dep_ == "acl" and root.tag_ == "VBG":
            return True  # "the coalition fighting the jihadists" describes, it does not tell
        if trigger.label_ == "Capture" and root.pos_ == "VERB" and any(
                c.dep_ in {"dobj", "nsubjpass"} and re.fullmatch(PEOPLE, c.lower_) for c in root.children):
            return True  # "civilians who were captured": people taken are not a place changing hands
        if root.tag_ == "VBG" and root.dep_ == "pcomp" and root.head.lower_ in {"of", "for"}:
            return True  # "the urgency of fighting IS": an aim, not an event
        if root.dep_ == "compound" and root.head.pos_ == "NOUN" and trigger.end <= root.head.i \
                and not any(s.start <= root.head.i < s.end for s in trigger.doc.spans["triggers"]):
            return True  # "rocket launcher", "bomb squad": a thing, not an event
        for token in trigger:
            if any(c.dep_ == "neg" for c in token.children):
                return True
        if any(c.lower_ in lex.hedges and c.dep_ in {"amod", "det", "compound", "nummod"} for c in root.children):
            return True
        if any(c.dep_ == "aux" and c.lower_ in lex.modals | {"will", "'ll"} for c in root.children):
            return True
        head = root
        for _ in range(4):
            if head.head.i == head.i or head.dep_ in {"advcl", "relcl", "parataxis"}:
                break
            child, head = head, head.head
            if head.lemma_.lower() in lex.governing_verbs and child.dep_ not in {"nsubj", "nsubjpass"}:
                return True
            if head.lemma_.lower() in lex.hedges and head.pos_ == "NOUN":
                return True
            if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in lex.modals | {"will"} for c in head.children) and head.pos_ in {"VERB", "AUX"}:
                return True
            if any(c.dep_ == "neg" for c in head.children) and head.pos_ in {"VERB", "AUX"}:
                return True
            if head.dep_ in {"ROOT"}:
                break
        if root.lemma_ in {"say", "tell"}:
            return True
        if "?" in sent.text or re.search(r"\bif\b|\bunless\b|\bwhether\b", sent.text, re.I) and root.i > _first(sent, {"if", "unless", "whether"}):
            return True
        return False

    def _mentions_in(self, tokens) -> list[EntityMention]:
        seen: list[EntityMention] = []
        for token in tokens:
            for m in self.by_token.get(token.i, ()):
                if m not in seen:
                    seen.append(m)
        return seen

    def _roles(self, trigger: Span, root: Token, object_is: str) -> tuple[list[str], list[str], list[str], list[str]]:
        agents: list[str] = []
        targets: list[str] = []
        participants: list[str] = []
        places: list[str] = []

        def take(tokens, role: str) -> None:
            mentions = self._mentions_in(tokens)
            spots = {(m.start, m.end) for m in mentions if m.ref.startswith("place/")}
            for m in mentions:
                if m.ref.startswith("place/"):
                    places.append(m.ref)
                    continue
                if (m.start, m.end) in spots and role in {"target", "place"}:
                    continue  # "strikes on Damascus", "took Damascus": the city, not the state
                if self._is_monitor(m.ref) and role != "participant":
                    continue  # "... on Aleppo the Syrian Observatory said": a monitor reports, it does not fight
                if role == "agent":
                    agents.append(m.ref)
                elif role == "target":
                    targets.append(m.ref)
                elif role == "participant":
                    participants.append(m.ref)
                elif role == "place" and m.ref.startswith("actor/"):
                    targets.append(m.ref)

        in_trigger = set(range(trigger.start, trigger.end))
        heads = [root] + [t for t in trigger if t.i != root.i]
        stand = stand_in(root)
        if stand.i != root.i:
            heads.append(stand)
        light_verb = None
        if root.pos_ in {"NOUN", "PROPN"} and root.dep_ in {"dobj", "attr"} and root.head.pos_ in {"VERB", "AUX"}:
            light_verb = root.head  # "IS carried out an offensive", "Kerry was to hold a meeting"
            heads.append(light_verb)
        for head in heads:
            is_verb = head.pos_ in {"VERB", "AUX"}
            passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in head.children)
            subjects = [c for c in head.children if c.dep_ == "nsubj" and c.i < head.i]
            for child in head.children:
                if child.i in in_trigger or (child.dep_ == "nsubj" and len(subjects) > 1 and child.i != subjects[-1].i):
                    continue  # two subjects is a misparse: the nearer one is the verb's
                sub = [t for t in child.subtree if t.i not in in_trigger]
                dep = child.dep_
                if dep in {"nsubj", "csubj"}:
                    take(noun_core(child), "participant" if object_is == "participant" else "agent")
                    if object_is == "target":  # "the forces fighting Islamic State militants ..."
                        take(fought(child), "target")
                elif dep == "nsubjpass":
                    take(noun_core(child), object_is if object_is != "participant" else "participant")
                elif dep == "agent":
                    take([t for c in child.children for t in noun_core(c)], "participant" if object_is == "participant" else "agent")
                elif dep in {"dobj", "attr"} and (is_verb or head.i != root.i):
                    take(sub, object_is)
                elif dep in {"acl", "relcl"} and head.i == root.i and object_is == "target" and child.pos_ == "VERB" \
                        and any(c.lower_ == "to" for c in child.children):
                    # "the battle to uproot the extremists"
                    take([t for o in child.children if o.dep_ == "dobj" for t in noun_core(o)], "target")
                elif dep in {"poss", "compound", "amod", "nmod"} and head.i == root.i:
                    take(sub, "participant" if object_is == "participant" else "agent")
                elif dep == "prep":
                    self._prep(child, sub, object_is, passive, take, places)
                elif dep == "conj" and head.i == root.i and head.pos_ == "VERB":
                    continue
        verb = root if root.pos_ == "VERB" else light_verb
        if verb is not None and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
            subject = inherited_subject(verb)
            if subject is not None:
                take(noun_core(subject), "participant" if object_is == "participant" else "agent")
        if verb is not None:
            for child in verb.children:
                if child.dep_ == "nsubj" and child.pos_ == "PRON" and not agents and not participants:
                    teller = speaker(verb)  # "the SDF said they seized ..."
                    if teller is not None:
                        take(noun_core(teller), "participant" if object_is == "participant" else "agent")
                        if object_is == "target":
                            take(fought(teller), "target")
        after = trigger.end
        while after < len(trigger.doc) and trigger.doc[after].dep_ == "prep" and trigger.doc[after].lower_ != "by" \
                and after < trigger.sent.end:
            after = trigger.doc[after].right_edge.i + 1
        if after < trigger.sent.end and trigger.doc[after].lower_ == "by" and not agents:
            take(noun_core(trigger.doc[after]), "participant" if object_is == "participant" else "agent")
        if not agents and not participants and verb is not None:
            before = self._actor_just_before(trigger if verb.i == root.i else verb.doc[verb.i:verb.i + 1])
            (participants if object_is == "participant" else agents).extend(before)
        if not targets and root.pos_ == "VERB" and object_is == "target":
            targets += self._actor_just_after(trigger)
        if stand.dep_ in {"nsubj"} and stand.head.lemma_ in {"kill", "hit", "target", "destroy", "leave"}:
            verb = stand.head
            for child in verb.children:
                if child.dep_ == "prep":
                    self._prep(child, list(child.subtree), object_is, False, take, places)
        if root.dep_ in {"pobj"} and root.head.dep_ == "prep" and root.head.head.pos_ in {"NOUN", "PROPN"} and object_is != "participant":
            owner = root.head.head  # "the battle for Raqqa"
            take([owner], "place")
        return agents, targets, participants, places

    def _actor_just_before(self, trigger: Span) -> list[str]:
        """An actor named right before a verb trigger ("IS members stoned", "IS seized"), when the parse missed it."""
        doc = trigger.doc
        i = trigger.start - 1
        stop = max(trigger.sent.start, trigger.start - 5)
        while i >= stop:
            found = [m for m in self.by_token.get(i, ()) if not m.ref.startswith("place/")]
            if found:
                return [found[0].ref]
            if doc[i].pos_ in {"VERB", "PUNCT", "ADP", "SCONJ"} and doc[i].lower_ not in {"-"}:
                break
            i -= 1
        return []

    def _actor_just_after(self, trigger: Span) -> list[str]:
        """An actor named right after a verb trigger ("troops fight IS militants"), when the parse missed it."""
        for i in range(trigger.end, min(trigger.sent.end, trigger.end + 3)):
            found = [m for m in self.by_token.get(i, ()) if m.ref.startswith("actor/")]
            if found:
                return [found[0].ref]
            if trigger.doc[i].pos_ in {"VERB", "PUNCT", "ADP"}:
                break
        return []

    def _prep(self, prep: Token, sub: list[Token], object_is: str, passive: bool, take, places: list[str]) -> None:
        word = prep.lower_
        if word == "by":
            take([t for c in prep.children for t in noun_core(c)], "participant" if object_is == "participant" else "agent")
        elif word in {"on", "against", "targeting"}:
            take(sub, "target" if object_is != "participant" else "participant")
        elif word in {"with", "between", "among"}:
            take(sub, "participant" if object_is == "participant" else ("target" if object_is == "target" else "agent"))
        elif word == "to" and object_is != "place":
            take(sub, "target" if object_is != "participant" else "participant")
        elif word == "from" and object_is == "place":
            take(sub, "target")
        elif word == "for" and object_is == "place":
            take(sub, "place")
        elif word in PLACE_PREPS:
            for m in self._mentions_in(sub):
                if m.ref.startswith("place/"):
                    places.append(m.ref)
            if object_is == "participant" and word == "at":
                take(sub, "participant")  # talks "at the Russian foreign ministry": the host takes part
        else:
            for m in self._mentions_in(sub):
                if m.ref.startswith("place/"):
                    places.append(m.ref)

    def _sentence_place(self, sent: Span) -> str | None:
        """A place named in the sentence, else the city the sentence points back to ("the city")."""
        mentions = [m for m in self._mentions_in(sent) if m.ref.startswith("place/")]
        specific = [m for m in mentions if self._kind(m.ref) != "country"]
        if specific:
            return specific[0].ref
        if re.search(r"\bthe (?:city|town|village|neighbou?rhoods?)\b", sent.text, re.I):
            earlier = [m for m in self.mentions if m.start < sent.start_char and m.ref.startswith("place/")
                       and self._kind(m.ref) in {"city", "neighbourhood"}]
            if earlier:
                return earlier[-1].ref
        return mentions[0].ref if mentions else None

    def _kind(self, ref: str) -> str:
        """The kind of place a place ref names ("country", "governorate", "city", "neighbourhood")."""
        key = ref.split("/", 1)[1]
        return self.gazetteer.get(key).kind if key in self.gazetteer else "neighbourhood"

    def _date(self, trigger: Span, sent: Span, root: Token) -> str | None:
        """The date expression of the event: a DATE entity whose clause contains the trigger.

        A date in a clause of its own ("... as a delegation prepared for talks today", "since IS seized the
        city last year") is not the event's date; a date in the trigger's own phrase ("the bombing on
        Tuesday") or in a clause that contains it ("On Saturday, the SDF said they seized ...") is.
        """
        dates = [e for e in date_spans(sent) if not is_duration(e) and not after_since(e)]
        own = {t.i for t in own_phrase(root)} - set(range(trigger.start, trigger.end))
        for ent in dates:
            if ent.root.i in own:
                return ent.text
        ancestors = {root.i, *(t.i for t in root.ancestors)}
        fitting = [e for e in dates if clause_head(e.root).i in ancestors]
        if fitting:
            return min(fitting, key=lambda e: abs(e.root.i - root.i)).text
        return None

    def _source(self, sent: Span) -> str | None:
        """Whom the sentence attributes its figures to ("according to the Observatory", "a monitor said")."""
        text = sent.text.lower()
        candidates = [m for m in self._mentions_in(sent) if not m.ref.startswith("place/")]
        if "according to" in text:
            idx = sent.start_char + text.index("according to")
            after = [m for m in candidates if m.start > idx]
            if after:
                return after[0].ref
        for token in sent:
            if token.lemma_.lower() in SPEECH_VERBS:
                for child in token.children:
                    if child.dep_ in {"nsubj", "nsubjpass"}:
                        found = self._mentions_in(child.subtree)
                        if found:
                            return found[0].ref
        return None

    def _article_monitor(self) -> str | None:
        """The monitor the article attributes what it reports to ("..., according to the Observatory"), if one."""
        if self._monitor is None:
            sources = (self._source(sent) for sent in self.doc.sents)
            self._monitor = next((ref for ref in sources if ref and self._is_monitor(ref)), "")
        return self._monitor or None

    def _is_monitor(self, ref: str) -> bool:
        actor = self.lexicon.actors.get(self._actor_of(ref).split("/", 1)[1])
        return actor is not None and "Monitor" in actor.classes

    def _actor_of(self, ref: str) -> str:
        for m in self.mentions:
            if m.ref == ref and m.affiliation:
                return m.affiliation
        return ref


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


def _first(sent: Span, words: set[str]) -> int:
    return next((t.i for t in sent if t.lower_ in words), sent.end)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _victims(verb: Token) -> Figures | None:
    """How many people an execution verb says were put to death ("stoned to death two men", "beheaded a member")."""
    for child in verb.children:
        if child.dep_ not in {"dobj", "nsubjpass"} or child.pos_ not in {"NOUN", "PROPN"}:
            continue
        for mod in child.children:
            if mod.dep_ == "nummod" and (n := parse_number(mod.text)) is not None:
                return Figures(killed=n)
            if mod.dep_ == "det" and mod.lower_ in {"a", "an", "one"}:
                return Figures(killed=1)
    return None




def _is_actorish(name: str, lexicon: Lexicon) -> bool:
    """True when a name NER took for a person is an actor's alias ("Free Syrian Army")."""
    return name.lower() in _actor_aliases(lexicon)


@lru_cache(maxsize=2)
def _actor_aliases(lexicon: Lexicon) -> frozenset[str]:
    """Every actor alias, lower-cased, once per lexicon (not once per person named)."""
    return frozenset(a.lower() for entry in lexicon.actors.values() for a in entry.aliases)


def _one_per_type(events: list[EventMention]) -> list[EventMention]:
    """Several triggers of one type and place in one sentence tell one event: keep the best-argued one."""
    best: dict[tuple[str, str | None], EventMention] = {}
    for event in events:
        current = best.get((event.type, event.place))
        score = lambda e: len(e.agents) + len(e.targets) + len(e.participants) + (e.date_text is not None)
        if current is None or score(event) > score(current):
            best[(event.type, event.place)] = event
    return [e for e in events if best.get((e.type, e.place)) is e]


def read_doc(doc: Doc, *, lexicon: Lexicon | None = None, gazetteer: Gazetteer | None = None) -> Iterator[Record]:
    """Every mention in ``doc``: entity mentions, then events and figures, in text order."""
    reader = ArticleReader(doc, lexicon or Lexicon.load(), gazetteer or Gazetteer.load())
    yield from reader.records()
