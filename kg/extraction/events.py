"""Doc -> event and figure mentions, sentence by sentence, in text order.

Each trigger ``conflict_spans`` marked is read as a frame (:mod:`.frames`):
its type from the trigger and its instrument, whether it happened, its roles
(:mod:`.roles`), its date words (:mod:`.when`) and the casualty figures of its
sentence (:mod:`.figures`, or where its patterns reach no count, the count of
a death verb's passive subject in the parse). A killing verb whose subject is
an instrument ("the air force killed 10 people", "a car bomb killed six")
tells an event too. Figures in a sentence that tells no event of its own become a
:class:`FiguresMention`, for the assembly to attach.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from kg.admin_areas import AdminAreas
from kg.extraction.figures import Figures, figures_in, is_part_of_total, is_war_toll, parse_number, qualifier_of
from kg.extraction.frames import event_type, instrument_tokens, instruments, is_factual, trigger_lemma
from kg.extraction.mentions import Mentions, Sentence, unique
from kg.extraction.roles import RoleReader
from kg.extraction.syntax import (LINKING_VERBS, SPEECH_VERBS, after_since, clause_head, date_spans, is_duration,
                                  doc_tokens, noun_core, own_phrase, sentence_of, sentences, text_of)
from kg.extraction.when import event_date
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon

ATTACK_TYPES = ("AirStrike", "Shelling", "Bombing", "Execution", "Massacre", "Battle", "Capture", "Kidnapping", "Surrender")
INSTRUMENT_TYPES = {"air": "AirStrike", "ground": "Shelling", "bomb": "Bombing"}
ANAPHORIC_TYPES = frozenset(INSTRUMENT_TYPES.values())  # what "the attack" told later may be
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
    claimed_by: tuple[str, ...] = ()  # who claimed responsibility
    accused_by: tuple[str, ...] = ()  # who accuses the agents
    refers_back: bool = False  # "the attack": the attack told last
    near: bool = False  # the place is one the event was outside of, not where it was
    takes_other: bool = False  # a capture of something other than its place ("eight villages near Aleppo")
    taken: tuple[str, ...] = ()  # the places a capture's object names
    symmetric: bool = False  # told with a word that says no side began it ("clashed with")
    several: bool = False  # told as several ("three explosions"): its figures are a total when parts are told


@dataclass(frozen=True)
class FiguresMention:
    """Casualty figures in a sentence that tells no event of its own ("Among the 63 killed were 36 civilians")."""

    figures: Figures
    sentence: Sentence
    place: str | None = None
    date_text: str | None = None  # the date of the verb of its count ("20 were killed on Monday, medics said")
    several: bool = False  # a total of several events' dead ("they were among 19 killed", "killed across Idlib")


def event_mentions(doc: Doc, mentions: Mentions, lexicon: Lexicon, gazetteer: Gazetteer, *,
                   title_chars: int = 0) -> Iterator[EventMention | FiguresMention]:
    """Event and figure mentions of ``doc``, sentence by sentence.

    Args:
        doc: the parsed article (its title first, when ``title_chars`` > 0).
        mentions: the article's entity mentions.
        lexicon: the domain lexicons.
        gazetteer: the places.
        title_chars: how many leading characters of ``doc`` are the title and the break after it.
    """
    reader = _SentenceReader(doc, mentions, lexicon, gazetteer)
    areas = AdminAreas.of(gazetteer)
    triggers_by_sent: dict[int, list[Span]] = {}
    for span in [*doc.spans["triggers"], *_instrument_killings(doc, lexicon)]:
        triggers_by_sent.setdefault(sentence_of(span).start, []).append(span)
    monitor = _Monitor(reader)
    before: Span | None = None  # the sentence before, when it told no event
    for sent in sentences(doc):
        sentence = _sentence(sent, title_chars)
        if sentence is None:
            continue
        events = [e for t in sorted(triggers_by_sent.get(sent.start, []), key=lambda s: s.start)
                  if (e := reader.event(t, sent, sentence))]
        events = _one_per_type(events, lexicon.sides, areas)
        if before is not None and (date := _date_of_sentence(before)) is not None:
            # "Sarin was used in Ghouta in 2013. The US accused Damascus of that attack": the attack of 2013, there
            there = reader.roles.places.sentence_place(before, 0)
            events = [replace(e, date_text=date, place=e.place or there) if e.refers_back and e.date_text is None
                      else e for e in events]
        before = None if events else sent
        figures = figures_in(text_of(sent)) or _passive_toll(sent, lexicon.death_verbs)
        if figures:
            figures = Figures(figures.killed, figures.civilians, figures.injured, figures.qualifier,
                              reader.source(sent) or monitor())
        if events and figures and not any(e.figures for e in events):
            carrier = _killer(sent, events, doc, lexicon) or next((e for e in events if e.type in ATTACK_TYPES[:5]), events[0])
            total = is_part_of_total(text_of(sent))  # "four children were among eight killed in shelling across the area"
            events = [_with_figures(replace(e, several=e.several or total), figures) if e is carrier else e
                      for e in events]
        elif figures and not events:
            verb = _counted_verb(sent)  # where and when: "... adding 40 were killed around Albu Kamal on Friday"
            place = reader.roles.places.sentence_place(verb.subtree, 0) if verb is not None else None
            date = event_date(sent[verb.i - sent.start:verb.i - sent.start + 1], sent, reader._names(sent)) \
                if verb is not None else None
            yield FiguresMention(figures, sentence, place or reader.roles.places.sentence_place(sent, 0), date,
                                 is_part_of_total(text_of(sent)) or any(t.lower_ in lexicon.several_words for t in sent))
        yield from events


def _sentence(sent: Span, title_chars: int) -> Sentence | None:
    raw = text_of(sent)
    text = raw.strip()
    if not text:
        return None
    start = sent.start_char + len(raw) - len(raw.lstrip())
    end = sent.start_char + len(raw.rstrip())
    if start < title_chars:
        return Sentence(text, start, end, in_title=True)
    return Sentence(text, start - title_chars, end - title_chars)


def _with_figures(event: EventMention, figures: Figures) -> EventMention:
    return EventMention(**{**event.__dict__, "figures": figures})


def _instrument_killings(doc: Doc, lexicon: Lexicon) -> list[Span]:
    """Killing verbs whose subject is an instrument: "the air force killed 10", "a car bomb killed six"."""
    if not doc.has_annotation("DEP"):
        return []
    taken = {i for s in doc.spans["triggers"] for i in range(s.start, s.end)}
    out = []
    for token in doc_tokens(doc):
        if token.i in taken or token.pos_ != "VERB" or token.lemma_.lower() not in lexicon.killing_verbs:
            continue
        subjects = [t for c in token.children if c.dep_ in {"nsubj", "agent"} for t in noun_core(c)]
        if any(t.i in taken for t in subjects):
            continue  # "air strikes killed ...": the subject is a trigger of its own
        kinds = instruments(subjects, lexicon)
        kind = next((k for k in ("air", "ground", "bomb") if k in kinds), None)
        if kind is not None:
            out.append(Span(doc, token.i, token.i + 1, label=INSTRUMENT_TYPES[kind]))
    return out


class _SentenceReader:
    """Reads the event frames of one article's sentences."""

    def __init__(self, doc: Doc, mentions: Mentions, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        self.doc = doc
        self.mentions = mentions
        self.lexicon = lexicon
        self.roles = RoleReader(mentions, lexicon, gazetteer)
        self.last_attack: str | None = None  # the type of the last attack told, for "the attack" later
        self.told: set[str] = set()  # the types of the events told so far

    def event(self, trigger: Span, sent: Span, sentence: Sentence) -> EventMention | None:
        actors = [m.ref for m in self.mentions.within(sent) if m.kind == "actor"]
        back = self._anaphora(trigger)
        kind = back or event_type(trigger, sent, self.lexicon, actors)
        if kind is None or not is_factual(trigger, sent, self.lexicon):
            return None
        if back is None and kind not in ANAPHORIC_TYPES and kind in self.told and self._definite_attack(trigger):
            back = kind  # "the attack" after a battle told: that battle
        self.told.add(kind)
        if kind in ANAPHORIC_TYPES:
            self.last_attack = kind
        entry = self.lexicon.trigger(kind)
        roles = self.roles.roles(trigger, entry.object_is)
        place = _first_within(roles.places) if roles.places else \
            self.roles.places.sentence_place(_own_clause(trigger, sent), sent.start_char)
        near = place is None and bool(roles.near)
        if near:
            place = roles.near[0]
        agents, targets, participants = roles.agents, roles.targets, roles.participants
        if place is None and kind == "DiplomaticMeeting":
            place = self.roles.places.host_capital(trigger)
        if kind == "DiplomaticMeeting":
            participants = unique(agents + targets + participants)
            agents, targets = [], []
            if len({self.mentions.affiliation(p) for p in participants}) < 2 and place is None:
                return None
        figures = _victims(trigger.root) if kind == "Execution" else None
        return EventMention(kind, trigger.text, sentence, tuple(unique(agents)), tuple(unique(targets)),
                            tuple(participants), place, event_date(trigger, sent, self._names(sent)), figures,
                            self._main_event_trigger(trigger), tuple(unique(roles.claimed_by)),
                            tuple(unique(roles.accused_by)), back is not None, near, roles.takes_other,
                            tuple(unique(roles.taken)), trigger_lemma(trigger) in entry.symmetric,
                            told_as_several(trigger.root, self.lexicon))

    def _names(self, sent: Span) -> set[int]:
        return {i for m in self.mentions.within(sent) for i in range(*self.mentions.tokens_of(m))}

    def _definite_attack(self, trigger: Span) -> bool:
        """Whether a trigger is an attack word told as one known already: "the attack", "that assault"."""
        root = trigger.root
        return root.lemma_.lower() in self.lexicon.attack_words and any(
            c.dep_ == "det" and c.lower_ in {"the", "this", "that", "these", "those"} for c in root.children)

    def _anaphora(self, trigger: Span) -> str | None:
        """The type of the attack told before, for "the attack", "the strikes", "the blast" told with no instrument."""
        root = trigger.root
        if self.last_attack is None or not self._definite_attack(trigger):
            return None
        if root.tag_ == "NNS" and not (self.last_attack == "AirStrike" and root.lemma_.lower() in {"strike", "raid"}):
            return None  # "the attacks on health facilities" speaks of attacks in general; "the strikes" of the last
        return None if instruments(instrument_tokens(trigger), self.lexicon) else self.last_attack

    def _main_event_trigger(self, trigger: Span) -> str | None:
        """For an event told in an "as"/"while"/"when" clause, the trigger of the event of the main clause."""
        clause = clause_head(trigger.root)
        if clause.dep_ != "advcl" or not any(c.lower_ in {"as", "while", "when"} and c.dep_ == "mark" for c in clause.children):
            return None
        main = {t.i for t in clause.head.subtree} - {t.i for t in clause.subtree}
        rooted = _triggers_by_root(self.doc)
        found = [entry for i in main for entry in rooted.get(i, ()) if entry[1] != trigger.start]
        return min(found)[2] if found else None  # the first in the Doc's order of triggers

    def source(self, sent: Span) -> str | None:
        """Whom the sentence attributes its figures to ("according to the Observatory", "a monitor said")."""
        text = text_of(sent).lower()
        candidates = [m for m in self.mentions.within(sent) if m.kind != "place"]
        if "according to" in text:
            idx = sent.start_char + text.index("according to")
            after = [m for m in candidates if m.start > idx]
            if after:
                return after[0].ref
        for token in sent:
            if token.lemma_.lower() in SPEECH_VERBS:
                for child in token.children:
                    if child.dep_ in {"nsubj", "nsubjpass"}:
                        found = [m for m in self.mentions.within(child.subtree) if m.kind != "place"]
                        if found:
                            return found[0].ref
        return None


class _Monitor:
    """The monitor an article attributes what it reports to ("..., according to the Observatory"), found once."""

    def __init__(self, reader: _SentenceReader) -> None:
        self.reader = reader
        self.found: str | None = None
        self.looked = False

    def __call__(self) -> str | None:
        if not self.looked:
            self.looked = True
            sources = (self.reader.source(sent) for sent in sentences(self.reader.doc))
            self.found = next((ref for ref in sources if ref and self.reader.roles.is_monitor(ref)), None)
        return self.found


def _killer(sent: Span, events: list[EventMention], doc: Doc, lexicon: Lexicon) -> EventMention | None:
    """The event whose trigger is the subject of the sentence's killing verb ("air strikes killed 26"), or the
    clause a killing participle goes with ("rebels fired rockets at the capital, killing seven")."""
    triggers = {e.trigger: e for e in events}
    covering = _triggers_at(doc)

    def told_in(tokens: Iterable[Token]) -> EventMention | None:
        return next((triggers[span.text] for token in tokens for span in covering.get(token.i, ())
                     if span.text in triggers), None)

    for verb in sent:
        if verb.lemma_.lower() not in lexicon.toll_verbs or verb.pos_ != "VERB":
            continue
        subjects = [child for child in verb.children if child.dep_ in {"nsubj", "agent"}]
        for child in subjects:
            if (found := told_in(child.subtree)) is not None:
                return found
        if not subjects and verb.tag_ == "VBG" and (clause := _clause_of(verb)) is not None:
            # "... came after rebels fired 70 rockets at the town, killing seven": the clause just before it
            before = [c for c in clause.children if c.dep_ in {"advcl", "conj"} and c.i < verb.i]
            arguments = [c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"} and c != verb]
            for tokens in (list(before[-1].subtree) if before else [],
                           [clause, *(t for a in arguments for t in a.subtree if verb not in t.ancestors)]):
                if (found := told_in(tokens)) is not None:
                    return found
    return None


def _clause_of(participle: Token) -> Token | None:
    """The verb of the clause a participle hangs from, through the nouns the parser may have put it under.

    >>> from spacy.vocab import Vocab
    >>> words = ["Rebels", "fired", "at", "the", "capital", "killing", "seven"]
    >>> doc = Doc(Vocab(), words=words, heads=[1, 1, 1, 4, 2, 4, 5], pos=["NOUN", "VERB", "ADP", "DET", "NOUN",
    ...           "VERB", "NUM"], deps=["nsubj", "ROOT", "prep", "det", "pobj", "acl", "dobj"])
    >>> _clause_of(doc[5]).text
    'fired'
    >>> headline = Doc(Vocab(), words=["Barrage", "killing", "seven"], heads=[0, 0, 1], pos=["NOUN", "VERB", "NUM"],
    ...                deps=["ROOT", "acl", "dobj"])
    >>> _clause_of(headline[1]) is None  # a headline with no verb: none (and the walk ends at the root)
    True
    """
    head = participle.head
    while head.pos_ not in {"VERB", "AUX"}:
        if head.head.i == head.i:
            return None
        head = head.head
    return head if head.i != participle.i else None


def _triggers_by_root(doc: Doc) -> dict[int, list[tuple[int, int, str]]]:
    """Root token -> (place in ``doc.spans["triggers"]``, start, text) of the triggers with that root (found once per
    Doc)."""
    rooted = doc.user_data.get("kg_triggers_by_root")
    if rooted is None:
        rooted = {}
        for n, span in enumerate(doc.spans["triggers"]):
            rooted.setdefault(span.root.i, []).append((n, span.start, span.text))
        doc.user_data["kg_triggers_by_root"] = rooted
    return rooted


def _triggers_at(doc: Doc) -> dict[int, list[Span]]:
    """Token -> the Doc's triggers that cover it, in the order of ``doc.spans["triggers"]`` (found once per Doc)."""
    covering = doc.user_data.get("kg_triggers_at")
    if covering is None:
        covering = {}
        for span in doc.spans["triggers"]:
            for i in range(span.start, span.end):
                covering.setdefault(i, []).append(span)
        doc.user_data["kg_triggers_at"] = covering
    return covering


def _own_clause(trigger: Span, sent: Span) -> list[Token]:
    """The sentence less the clauses that tell something else ("... as peace talks entered a second day in Astana")."""
    root = trigger.root
    if root.dep_ == "nsubj" and root.head.lemma_.lower() in LINKING_VERBS:
        return sorted(own_phrase(root), key=lambda t: t.i)  # "The bombardment came as talks opened in Astana"
    ancestors = {root.i, *(t.i for t in root.ancestors)}
    other: set[int] = set()
    for token in sent:
        if token.dep_ in {"advcl", "relcl", "acl"} and token.i not in ancestors and \
                any(c.dep_ == "mark" and c.lower_ in {"as", "while", "when", "after", "before", "since", "because"}
                    for c in token.children):
            other |= {t.i for t in token.subtree}
    return [t for t in sent if t.i not in other or t.i in ancestors]


def told_as_several(root: Token, lexicon: Lexicon) -> bool:
    """Whether a trigger is counted as more than one: "three explosions", "a series of strikes" (not "70 rockets":
    a count of munitions is one barrage's).

    >>> from kg.lexicon import Lexicon
    >>> from kg.nlp import blank_pipeline
    >>> from spacy.tokens import Doc
    >>> doc = Doc(blank_pipeline().vocab, words=["three", "explosions", "killed", "six"],
    ...           heads=[1, 2, 2, 2], deps=["nummod", "nsubj", "ROOT", "dobj"])
    >>> told_as_several(doc[1], Lexicon.load()), told_as_several(doc[3], Lexicon.load())
    (True, False)
    """
    if root.lemma_.lower() in lexicon.munitions or root.lower_.rstrip("s") in lexicon.munitions:
        return False
    for child in root.children:
        if child.dep_ == "nummod" and (n := parse_number(child.text)) is not None and n > 1:
            return True
        if child.dep_ == "amod" and child.lower_ in lexicon.several_words:
            return True
        if child.dep_ == "prep" and child.lower_ in lexicon.several_words:
            return True  # "strikes across Idlib province": all the strikes of an area
        if child.dep_ == "prep" and child.lower_ in {"on", "against"} and root.tag_ in {"NNS", "NNPS"} and any(
                c.dep_ == "pobj" and _counted(c) for c in child.children):
            return True  # "strikes on two hospitals": one at each (but "an attack on two villages" is one)
    return root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in lexicon.several_words


def _counted(noun: Token) -> bool:
    """Whether a noun is counted as more than one ("two hospitals")."""
    return any(c.dep_ == "nummod" and (n := parse_number(c.text)) is not None and n > 1 for c in noun.children)


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


def _first_within(places: list[str]) -> str:
    """The first of a frame's places, or the first place inside it when it is a country named before one of its
    own ("in northern Syria's Aleppo province").

    >>> _first_within(["place/country/sy", "place/sy/gov/aleppo"])
    'place/sy/gov/aleppo'
    >>> _first_within(["place/country/sy", "place/iq/mosul"])
    'place/country/sy'
    """
    first = places[0]
    if first.startswith("place/country/"):
        inside = f"place/{first.rsplit('/', 1)[1]}/"
        return next((p for p in places[1:] if p.startswith(inside)), first)
    return first


def _passive_toll(sent: Span, death_verbs: frozenset[str]) -> Figures | None:
    """The dead a sentence counts as the passive subject of a death verb, however far the count is from the
    verb, where the patterns of :func:`.figures.figures_in` reach no count ("more than 60 fighters from the
    former Soviet Union and Egypt were killed"). None for a war's toll, and for the dead and the hurt counted
    together ("48 were killed and injured").
    """
    if is_war_toll(text_of(sent)):
        return None
    for verb in sent:
        if verb.lemma_.lower() not in death_verbs or any(c.dep_ == "conj" and c.lemma_.lower() not in death_verbs
                                                         for c in verb.children):
            continue
        for subject in (c for c in verb.children if c.dep_ == "nsubjpass"):
            for count in (c for c in subject.children if c.dep_ == "nummod"):
                words = [t for t in count.subtree if t.i <= count.i]
                number = " ".join(t.lower_ for t in words if t.like_num or t.pos_ == "NUM")
                killed = parse_number(number) if number else None
                if killed is not None and killed < 100000:
                    return Figures(killed, qualifier=qualifier_of(" ".join(t.lower_ for t in words
                                                                           if not (t.like_num or t.pos_ == "NUM"))))
    return None


def _date_of_sentence(sent: Span) -> str | None:
    """The one date a sentence names (not a duration), or None when it names none or several."""
    dates = [d for d in date_spans(sent) if not is_duration(d) and not after_since(d)]
    return dates[0].text if len(dates) == 1 else None


def _counted_verb(sent: Span) -> Token | None:
    """The verb of the dead a sentence with no event counts: that of its first counted noun, else its first verb
    other than one of speech ("Twenty were killed on Monday, medics said on Tuesday": killed)."""
    counted = (t.head.head for t in sent if t.dep_ == "nummod" and t.head.dep_ in {"nsubj", "nsubjpass", "dobj"})
    return next((v for v in counted if v.pos_ == "VERB"), None) or \
        next((t for t in sent if t.pos_ == "VERB" and t.lemma_.lower() not in SPEECH_VERBS), None)


def _one_per_type(events: list[EventMention], sides: Callable[[Iterable[str]], set[str]],
                  areas: AdminAreas) -> list[EventMention]:
    """Several triggers of one type and place in one sentence tell one event: keep the best-argued one."""
    def score(e: EventMention) -> int:
        return len(e.agents) + len(e.targets) + len(e.participants) + (e.date_text is not None)

    def key(e: EventMention) -> tuple[str, str | None]:  # a city and the governorate of its name are one place
        return e.type, areas.node(e.place) if e.place else None

    best: dict[tuple[str, str | None], EventMention] = {}
    for event in events:
        current = best.get(key(event))
        if current is None or score(event) > score(current):
            best[key(event)] = event
    for told, chosen in best.items():
        directed = next((e for e in events if key(e) == told and not e.symmetric and e.agents), None)
        if chosen.symmetric and directed is not None:
            best[told] = _directed(directed, [e for e in events if key(e) == told and e.symmetric], sides)
        if any(e.several for e in events if key(e) == told):  # "10 dead after strikes ... on two hospitals"
            best[told] = replace(best[told], several=True)
    return list(best.values())  # in the order their types and places were first told


def _directed(directed: EventMention, symmetric: list[EventMention],
              sides: Callable[[Iterable[str]], set[str]]) -> EventMention:
    """A directed telling with the sides of symmetric ones of its sentence, turned to agree with it.

    "The army clashed with Nusra and Ahrar al-Sham attacked military posts": Ahrar al-Sham, not on the army's side,
    attacked, so the side the clash names second is the attacking one.
    """
    agents, targets = list(directed.agents), list(directed.targets)
    for other in symmetric:
        first, second = sides(other.agents), sides(other.targets)
        turned = not first & sides(agents) and (bool(second & sides(agents)) or not targets)
        a, t = (other.targets, other.agents) if turned else (other.agents, other.targets)
        agents += [x for x in a if x not in targets]
        targets += [x for x in t if x not in agents]
    return replace(directed, agents=tuple(unique(agents)), targets=tuple(unique(targets)))


__all__ = ["EventMention", "FiguresMention", "event_mentions"]
