"""Trigger -> who did it, to whom, with whom: the roles of an event frame, read from the parse.

Subjects are agents, objects targets (or, for captures, the place taken),
``by`` phrases agents, ``on``/``against`` phrases targets, ``from`` the side
a place was taken from, ``with``/``between`` the other side of a battle or a
meeting. Some verbs turn these around (``[roles]`` in
``kg/data/triggers.toml``): in "Palmyra fell to IS" the subject is the place
and ``to`` the agent; in "IS withdrew from Palmyra" the subject lost it.

Where the event was is read by :mod:`kg.extraction.where`; who claims it or
accuses someone of it by :mod:`kg.extraction.attribution`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg.extraction.mentions import EntityMention, Mentions
from kg.extraction.attribution import read_attribution
from kg.extraction.syntax import antecedent, fought, inherited_subject, noun_core, sentence_of, speaker, stand_in
from kg.extraction.where import PlaceReader
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon
from kg.nlp import misread_gerund



@dataclass
class Roles:
    """The sides and places an event frame names (filled as the parse is read)."""

    agents: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)  # "outside Damascus": near the event, not where it was
    claimed_by: list[str] = field(default_factory=list)
    accused_by: list[str] = field(default_factory=list)
    takes_other: bool = False  # a capture of something that is not its place ("eight villages near Aleppo")
    taken: list[str] = field(default_factory=list)  # the places a capture's object names ("seized the town of Mare")


class RoleReader:
    """Reads the roles of the event frames of one article."""

    def __init__(self, mentions: Mentions, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        self.mentions = mentions
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.places = PlaceReader(mentions, lexicon, gazetteer)

    def roles(self, trigger: Span, object_is: str) -> Roles:
        """Who, to whom and where, for a trigger whose direct object is ``object_is`` ("target", "place", "participant")."""
        found = Roles()
        root = trigger.root
        in_trigger = set(range(trigger.start, trigger.end))
        agent_role = "participant" if object_is == "participant" else "agent"

        def take(tokens: Iterable[Token], role: str) -> None:
            self._take(tokens, role, found)

        if object_is == "place" and root.dep_ == "acl" and root.tag_ == "VBN" and root.head.pos_ in {"NOUN", "PROPN"}:
            self._object(root.head, object_is, found)  # "the district of Ramussa seized by rebels": the district
        heads = [root] + [t for t in trigger if t.i != root.i]
        stand = stand_in(root, self.lexicon.event_nouns)
        if stand.i != root.i:
            heads.append(stand)
        light_verb = None
        noun = stand if stand.dep_ in {"dobj", "attr"} else root  # "foiled an attack attempt": the attempt's verb
        if noun.pos_ in {"NOUN", "PROPN"} and noun.dep_ in {"dobj", "attr"} and noun.head.pos_ in {"VERB", "AUX"}:
            lemma = noun.head.lemma_.lower()
            if lemma in self.lexicon.defence_verbs and object_is == "target":
                for subject in (c for c in noun.head.children if c.dep_ == "nsubj"):
                    take(noun_core(antecedent(subject)), "target")  # "the army repelled an IS attack": it was attacked
            else:
                light_verb = noun.head  # "IS carried out an offensive", "Kerry was to hold a meeting"
                heads.append(light_verb)
        for head in heads:
            overrides = self.lexicon.role_frames.get(head.lemma_.lower(), {}) if head.pos_ in {"VERB", "AUX"} else {}
            is_verb = head.pos_ in {"VERB", "AUX"}
            subjects = [c for c in head.children if c.dep_ == "nsubj" and c.i < head.i]
            for child in head.children:
                if child.i in in_trigger and child.dep_ == "prep" and child.lower_ in overrides:
                    take([t for c in child.children for t in c.subtree], overrides[child.lower_])  # "fell to IS"
                    continue
                if child.i in in_trigger or (child.dep_ == "nsubj" and len(subjects) > 1 and child.i != subjects[-1].i):
                    continue  # two subjects is a misparse: the nearer one is the verb's
                dep = child.dep_
                sub = [t for t in child.subtree if t.i not in in_trigger]
                if dep in overrides:
                    take(noun_core(antecedent(child)) if dep.startswith("nsubj") else sub, overrides[dep])
                elif dep in {"nsubj", "csubj"}:
                    take(noun_core(antecedent(child)), agent_role)
                    if object_is == "target":  # "the forces fighting Islamic State militants ..."
                        take(fought(child), "target")
                elif dep == "nsubjpass":
                    take(noun_core(child), object_is)
                    self._object(child, object_is, found)
                elif dep == "agent":
                    take([t for c in child.children for t in noun_core(c)], agent_role)
                elif dep in {"dobj", "attr"} and (is_verb or head.i != root.i):
                    take(sub, object_is)
                    self._object(child, object_is, found)
                elif dep in {"acl", "relcl"} and head.i == root.i and object_is == "target" and child.pos_ == "VERB" \
                        and any(c.lower_ == "to" for c in child.children):
                    take([t for o in child.children if o.dep_ == "dobj" for t in noun_core(o)], "target")  # "the battle to uproot X"
                elif dep in {"poss", "compound", "amod", "nmod"} and head.i in in_trigger:  # "US missile strike"
                    take(sub, agent_role)
                elif dep in {"advcl", "xcomp", "acl"} and child.lemma_.lower() in {"target", "hit"} and head.i == root.i:
                    for obj in (c for c in child.children if c.dep_ == "dobj"):  # "... targeting positions held by X"
                        take(obj.subtree, "target")
                elif dep == "prep":
                    if child.lower_ in overrides:
                        take([t for t in sub if t.i != child.i], overrides[child.lower_])
                    else:
                        self._prep(child, sub, object_is, found)
        verb = root if root.pos_ == "VERB" else light_verb
        if verb is not None and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
            subject = inherited_subject(verb)
            if subject is not None:  # "the army, which repelled the attack": a defence verb's subject was attacked
                role = self.lexicon.role_frames.get(verb.lemma_.lower(), {}).get("nsubj", agent_role)
                take(noun_core(subject), role)
        if verb is not None:
            for child in verb.children:
                if child.dep_ == "nsubj" and child.pos_ == "PRON" and not found.agents and not found.participants:
                    teller = speaker(verb)  # "the SDF said they seized ..."
                    if teller is not None:
                        take(noun_core(teller), agent_role)
                        if object_is == "target":
                            take(fought(teller), "target")
        if root.dep_ == "pobj" and root.head.lower_ == "in" and not found.agents:
            holder = root.head.head.head if root.head.head.lower_ == "part" else root.head.head  # "took part in"
            if holder.lemma_.lower() in self.lexicon.participation_verbs:
                for subject in (c for c in holder.children if c.dep_ in {"nsubj", "nsubjpass"}):
                    take(noun_core(antecedent(subject)), agent_role)  # "X and Y were involved in the attack"
        self._by_after(trigger, found, agent_role)
        if not found.agents and not found.participants and verb is not None:
            before = _actor_just_before(trigger if verb.i == root.i else verb.doc[verb.i:verb.i + 1], self.mentions)
            before = [b for b in before if b not in found.targets]  # "IS withdrew from Palmyra": IS lost it
            (found.participants if object_is == "participant" else found.agents).extend(before)
        if not found.targets and root.pos_ == "VERB" and object_is == "target":
            found.targets += _actor_just_after(trigger, self.mentions)
        if root.dep_ == "aux" and misread_gerund(root):  # "Regime shelling killed three": the noun read as an aux
            for subject in (c for c in root.head.children if c.dep_ == "nsubj"):
                take(noun_core(subject), agent_role)
        killer = stand.head if stand.dep_ in {"nsubj", "aux"} else None
        if stand.dep_ == "pobj" and stand.head.lower_ in {"in", "during"} and stand.head.head.pos_ == "VERB":
            killer = stand.head.head  # "25 soldiers were killed in a suicide attack"
        if killer is not None and killer.lemma_ in {"kill", "hit", "target", "destroy", "leave", "strike", "wound"}:
            for child in killer.children:  # "air strikes killed 12 people in Raqqa", "... killed 25 regime soldiers"
                if child.dep_ == "prep" and killer is stand.head:
                    self._prep(child, list(child.subtree), object_is, found)
                elif child.dep_ == "nsubj" and killer is not stand.head and not found.agents:
                    take(noun_core(child), agent_role)  # "IS killed 50 people in an attack on two villages": IS
                elif child.dep_ in {"dobj", "nsubjpass"} and child.i not in in_trigger and object_is == "target":
                    take(child.subtree, "target")  # who was killed was the side attacked
        if root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.head.pos_ in {"NOUN", "PROPN"} \
                and object_is != "participant" and root.head.lower_ in {"for", "of"}:
            take([root.head.head], "place")  # "the battle for Raqqa"
        read_attribution(root, found, self.mentions, self.lexicon)
        return found

    def _object(self, taken: Token, object_is: str, found: Roles) -> None:
        """Note what a capture took: whether something other than a place, and the places its words name."""
        if object_is != "place":
            return
        found.takes_other |= _names_something_else(taken, self.mentions, self.lexicon)
        found.taken += [m.ref for m in self.mentions.within(noun_core(taken)) if m.kind == "place"]

    def _take(self, tokens: Iterable[Token], role: str, found: Roles) -> None:
        if role == "ignore":
            return
        tokens = list(tokens)
        mentions = self.mentions.within(tokens)
        if role == "agent" and not any(m.kind == "actor" for m in mentions):
            mentions += _possessor(tokens, self.mentions)  # "IS said one of its fighters blew himself up": IS
        spots = {(m.start, m.end) for m in mentions if m.kind == "place"}
        acting = {(m.start, m.end) for m in mentions if m.kind == "actor"} if role == "agent" else set()
        for m in mentions:
            if m.kind == "place":
                if (m.start, m.end) not in acting:  # "Moscow has been carrying out air strikes": Russia, not a place
                    self._place(m, found)
                continue
            if (m.start, m.end) in spots and role in {"target", "place"}:
                continue  # "strikes on Damascus", "took Damascus": the city, not the state
            if self.is_monitor(m.ref) and role != "participant":
                continue  # "... on Aleppo the Syrian Observatory said": a monitor reports, it does not fight
            if role == "agent":
                found.agents.append(m.ref)
            elif role == "target" or (role == "place" and m.kind == "actor"):
                found.targets.append(m.ref)
            elif role == "participant":
                found.participants.append(m.ref)

    def _place(self, mention: EntityMention, found: Roles) -> None:
        if self.places.dateline(mention):
            return  # "BEIRUT AFP Regime air strikes ...": where the report was filed
        if self.places.outside(mention):
            found.near.append(mention.ref)
        elif not self.places.distant(mention):
            found.places.append(mention.ref)

    def _prep(self, prep: Token, sub: list[Token], object_is: str, found: Roles) -> None:
        word = prep.lower_
        agent_role = "participant" if object_is == "participant" else "agent"
        if word == "of" and object_is == "place":  # "took control of part of the town"
            for c in prep.children:
                if c.dep_ == "pobj":
                    self._object(c, object_is, found)
        if word == "by":
            self._take([t for c in prep.children for t in noun_core(c)], agent_role, found)
        elif word in {"on", "against", "targeting"}:
            self._take(sub, "target" if object_is != "participant" else "participant", found)
        elif word in {"with", "between", "among"}:
            if object_is == "target" and word == "between" and not found.agents:
                self._between(prep, found)  # "clashes between the SDF and IS": one side each
            else:
                self._take(sub, "participant" if object_is == "participant" else "target", found)
        elif word == "to" and object_is != "place":
            self._take(sub, "target" if object_is != "participant" else "participant", found)
        elif word == "from" and object_is == "place":
            self._take(sub, "target", found)
        elif word == "for" and object_is == "place":
            self._take(sub, "place", found)
        else:
            for m in self.mentions.within(sub):
                if m.kind == "place":
                    self._place(m, found)
            if object_is == "participant" and word == "at":
                self._take(sub, "participant", found)  # talks "at the Russian foreign ministry": the host takes part

    def _between(self, prep: Token, found: Roles) -> None:
        sides = [m for m in self.mentions.within(prep.subtree) if m.kind != "place" and not self.is_monitor(m.ref)]
        if sides:
            found.agents.append(sides[0].ref)
            found.targets += [m.ref for m in sides[1:]]
        for m in self.mentions.within(prep.subtree):
            if m.kind == "place":
                self._place(m, found)

    def _by_after(self, trigger: Span, found: Roles, agent_role: str) -> None:
        """An agent in a "by" phrase after the trigger's prepositions ("strikes on Douma by regime aircraft")."""
        by = _by_phrase_after(trigger)
        if by is not None and not found.agents:
            self._take(noun_core(by), agent_role, found)

    def is_monitor(self, ref: str) -> bool:
        """Whether a ref (or the actor a person stands for) is a monitor, which reports and does not fight."""
        actor = self.lexicon.actors.get(self.mentions.affiliation(ref).split("/", 1)[1])
        return actor is not None and "Monitor" in actor.classes


def _names_something_else(taken: Token, mentions: Mentions, lexicon: Lexicon) -> bool:
    """Whether what a capture took is named as something other than a place ("eight villages", "a
    neighbourhood", "the eastern part of the city", "the last supply route"): then the place it names nearby
    did not change hands. "The city" and "the town" stand for a place told before; "which", for the noun
    it follows."""
    parts = lexicon.control_words.parts
    core = noun_core(taken)
    if taken.lower_ in parts:  # "the al-Nahda neighbourhood" is a place; "the east of the city" a part of one
        return not any(m.kind == "place" for m in mentions.within(t for t in core if t.i < taken.i))
    if any(c.lower_ in parts and c.dep_ in {"amod", "nsubj"} for c in taken.children):
        return True
    if any(m.kind == "place" for m in mentions.within(core)):
        return False
    definite = any(c.lower_ in {"the", "this", "that"} for c in taken.children)
    return taken.pos_ in {"NOUN", "ADJ", "NUM"} and not (definite and taken.tag_ == "NN"
                                                        and taken.lower_ in lexicon.control_words.place_words)


def _by_phrase_after(trigger: Span) -> Token | None:
    """The "by" of a phrase after the trigger's prepositions ("strikes on Douma by regime aircraft"), if any."""
    doc = trigger.doc
    after = trigger.end
    end = sentence_of(trigger).end
    while after < end and doc[after].dep_ == "prep" and doc[after].lower_ != "by":
        after = doc[after].right_edge.i + 1
    return doc[after] if after < end and doc[after].lower_ == "by" else None


def _possessor(tokens: list[Token], mentions: Mentions) -> list[EntityMention]:
    """The actor an "its" or "their" of a noun phrase stands for: the last actor named before it in its sentence
    ("the group said one of its fighters", "Russia said its warplanes")."""
    pronoun = next((t for t in tokens if t.dep_ == "poss" and t.lower_ in {"its", "their"}), None)
    if pronoun is None:
        return []
    for i in range(pronoun.i - 1, pronoun.sent.start - 1, -1):
        actors = [m for m in mentions.at(i) if m.kind == "actor"]
        if actors:
            return actors[:1]
    return []


def _actor_just_before(trigger: Span, mentions: Mentions) -> list[str]:
    """An actor named right before a verb trigger ("IS members stoned", "IS seized"), when the parse missed it."""
    doc = trigger.doc
    i = trigger.start - 1
    stop = max(sentence_of(trigger).start, trigger.start - 5)
    while i >= stop:
        found = [m for m in mentions.at(i) if m.kind != "place"]
        if found:
            return [found[0].ref]
        if doc[i].pos_ in {"VERB", "PUNCT", "ADP", "SCONJ"} and doc[i].lower_ != "-":
            break
        i -= 1
    return []


def _actor_just_after(trigger: Span, mentions: Mentions) -> list[str]:
    """An actor named right after a verb trigger ("troops fight IS militants"), when the parse missed it."""
    for i in range(trigger.end, min(sentence_of(trigger).end, trigger.end + 3)):
        found = [m for m in mentions.at(i) if m.kind == "actor"]
        if found:
            return [found[0].ref]
        if trigger.doc[i].pos_ in {"VERB", "PUNCT", "ADP"}:
            break
    return []
