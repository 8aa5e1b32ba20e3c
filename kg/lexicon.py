"""The domain lexicons under ``kg/data/``: actors, people and event triggers.

Loaded once, as frozen records; the spaCy components in ``kg.nlp`` build
their matchers from them and the resolver takes canonical names from them.

>>> lex = Lexicon.load()
>>> lex.actors["islamic-state"].label
'Islamic State'
>>> lex.people["vladimir-putin"].affiliation
'russia'
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import ResourceError
from kg.resources import layout_error, read_toml, resource_dir

FILES = ("actors.toml", "people.toml", "triggers.toml", "words.toml")


@dataclass(frozen=True)
class ActorEntry:
    """A canonical actor and the names it goes by."""

    key: str
    label: str
    classes: tuple[str, ...]
    aliases: tuple[str, ...]  # matched whatever their case
    exact: tuple[str, ...]  # matched with their case
    demonym: str | None = None
    capital: str | None = None
    part_of: str | None = None  # the actor this one is one of ("syrian-opposition" for a rebel group)
    aircraft: bool = False  # has an air force: "strikes" by it are air strikes


@dataclass(frozen=True)
class PersonEntry:
    """A well-known person, the names they go by and whom they act for."""

    key: str
    label: str
    aliases: tuple[str, ...]
    affiliation: str | None


@dataclass(frozen=True)
class GenericEntry:
    """A generic reference ("the regime") and the actors it may stand for."""

    phrase: str
    candidates: tuple[str, ...]
    default: str | None


@dataclass(frozen=True)
class TriggerEntry:
    """The words that tell one event type, and what a verb's object is for it."""

    type: str
    phrases: tuple[str, ...]
    nouns: tuple[str, ...]
    verbs: tuple[str, ...]
    object_is: str
    needs_air_context: tuple[str, ...] = ()
    symmetric: tuple[str, ...] = ()  # words that tell no side began it ("clashes"): a directed telling decides


@dataclass(frozen=True)
class ControlWords:
    """The words of statements of who holds a place (``words.toml``, ``[control]``)."""

    held: frozenset[str]  # "IS-held", "rebel-controlled"
    control_verbs: frozenset[str]  # "the army controls Palmyra"
    parts: frozenset[str]  # "eastern", "areas", "outskirts": a part of a place, not the place
    place_words: frozenset[str]  # "town", "province": words between the statement and the place it names
    holders: dict[str, str]  # "government" (in "government-held") -> the actor key it means
    partly: frozenset[str] = frozenset()  # "partially controlled": a part of the place


@dataclass(frozen=True)
class Lexicon:
    """Everything under ``kg/data/`` that names actors, people and events."""

    actors: dict[str, ActorEntry]
    people: dict[str, PersonEntry]
    generic: dict[str, GenericEntry]
    triggers: tuple[TriggerEntry, ...]
    governing_verbs: frozenset[str]
    modals: frozenset[str]
    hedges: frozenset[str]
    place_words: dict[str, tuple[str, ...]]  # place kind -> words that make a name a place of that kind
    capitals: dict[str, str]  # country code -> the city "the capital" names
    titles: frozenset[str]  # words before a person's name that say who they are
    organisations: frozenset[str]  # "center", "council": a place named before one names where an organisation is
    unit_nouns: frozenset[str]  # "Brigade", "Militia": a name ending in one is an armed group
    unit_openers: frozenset[str]  # "Liwa", "Jaish": a name opened by one is an armed group
    community_nouns: frozenset[str]  # "tribe", "clan": a name ending in one is a community, an actor
    instruments: dict[str, tuple[str, ...]]  # instrument kind ("air", "ground", "bomb", "chemical") -> words
    attack_words: frozenset[str]  # trigger lemmas typed by their instrument ("attack", "strike")
    event_nouns: frozenset[str]  # nouns a trigger may modify and still tell an event ("attack attempt")
    several_words: frozenset[str]  # "multiple", "a series of": a trigger told as several events
    munitions: frozenset[str]  # lemmas of what is fired by the piece ("rocket", "shell"): counted, still one event
    demonyms: frozenset[str]  # words for peoples and faiths, never part of a described place's name
    same_time: frozenset[str]  # "also", "meanwhile": the sentence goes on about the time told before
    another_event: frozenset[str]  # "separate", "meanwhile": the sentence tells another event than the one before
    toll_update: frozenset[str]  # "rose", "climbed": "the death toll rose to 40" updates the toll told before
    allegiance: frozenset[str]  # "loyal to Damascus", "backed by Moscow": a capital after one stands for its state
    agencies: frozenset[str]  # "AFP", "Reuters": a place named right before one is a dateline
    toll_verbs: frozenset[str]  # "kill", "leave": their subject (or the clause of their participle) took the toll
    death_verbs: frozenset[str]  # "kill", "execute": their passive subject counts the dead
    participation_verbs: frozenset[str]  # "involve", "take": their subject took part in the attack "in" names
    killing_verbs: frozenset[str]  # verbs that tell an attack when their subject is an instrument
    defence_verbs: frozenset[str]  # "repelled an attack": the subject was attacked
    ground_unless_air: frozenset[str]  # air-strike words that tell shelling when no aircraft is named
    role_frames: dict[str, dict[str, str]]  # verb lemma -> dependency or preposition -> role
    claim_verbs: frozenset[str]
    accuse_verbs: frozenset[str]
    irregular: dict[str, tuple[str, ...]]  # verb lemma -> past forms the English rules do not make
    control_words: ControlWords

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls, data_dir: Path | None = None) -> Lexicon:
        """Read the lexicons from ``data_dir`` (default: the installed ``kg/data/``; cached).

        Raises:
            ResourceError: a file is missing, is not valid TOML, or lacks a table or key the lexicon needs,
                or names an actor no entry defines (the message names the file).
        """
        folder = data_dir if data_dir is not None else resource_dir("data")
        docs = [read_toml(folder / name) for name in FILES]
        try:
            lexicon = cls._of(*docs)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise layout_error(f"{folder} ({', '.join(FILES)})", err) from None
        lexicon._check(folder)
        return lexicon

    @classmethod
    def _of(cls, actors_doc: dict, people_doc: dict, trig_doc: dict, words: dict) -> Lexicon:
        """The lexicon of the four files' tables."""
        actors = {k: ActorEntry(k, v["label"], tuple(v.get("classes", ())), tuple(v.get("aliases", ())),
                                tuple(v.get("exact", ())), v.get("demonym"), v.get("capital"), v.get("part_of"),
                                bool(v.get("aircraft", False)))
                  for k, v in actors_doc["actors"].items()}
        people = {k: PersonEntry(k, v["label"], tuple(v.get("aliases", ())), v.get("affiliation"))
                  for k, v in people_doc["people"].items()}
        generic = {p.lower(): GenericEntry(p.lower(), tuple(v["candidates"]), v.get("default"))
                   for p, v in actors_doc.get("generic", {}).items()}
        triggers = tuple(TriggerEntry(t, tuple(v.get("phrases", ())), tuple(v.get("nouns", ())), tuple(v.get("verbs", ())),
                                      v.get("object_is", "target"), tuple(v.get("needs_air_context", ())),
                                      tuple(v.get("symmetric", ())))
                         for t, v in trig_doc["types"].items())
        never = trig_doc.get("not_events", {})
        attack = trig_doc["attack_words"]
        lex = cls(
            actors=actors, people=people, generic=generic, triggers=triggers,
            governing_verbs=frozenset(never.get("governing_verbs", ())), modals=frozenset(never.get("modals", ())),
            hedges=frozenset(never.get("hedges", ())),
            place_words={kind: tuple(ws) for kind, ws in words["places"].items() if kind != "capitals"},
            capitals=dict(words["places"]["capitals"]), titles=frozenset(words["people"]["titles"]),
            organisations=frozenset(words["people"]["organisations"]),
            unit_nouns=frozenset(words["groups"]["unit_nouns"]), unit_openers=frozenset(words["groups"]["unit_openers"]),
            community_nouns=frozenset(words["groups"]["communities"]),
            instruments={kind: tuple(ws) for kind, ws in trig_doc["instruments"].items()},
            attack_words=frozenset(attack["words"]), event_nouns=frozenset(attack["event_nouns"]),
            several_words=frozenset(attack["several_words"]), munitions=frozenset(attack["munitions"]),
            demonyms=frozenset(words["names"]["demonyms"]), same_time=frozenset(words["discourse"]["same_time"]),
            allegiance=frozenset(words["names"]["allegiance"]),
            another_event=frozenset(words["discourse"]["another_event"]),
            toll_update=frozenset(words["discourse"]["toll_update"]),
            agencies=frozenset(words["discourse"]["agencies"]),
            killing_verbs=frozenset(attack["killing_verbs"]), toll_verbs=frozenset(attack["toll_verbs"]),
            death_verbs=frozenset(attack["death_verbs"]),
            participation_verbs=frozenset(attack["participation_verbs"]),
            defence_verbs=frozenset(attack["defence_verbs"]), ground_unless_air=frozenset(attack["ground_unless_air"]),
            role_frames={lemma: dict(roles) for lemma, roles in trig_doc["roles"].items()},
            claim_verbs=frozenset(trig_doc["attribution"]["claim_verbs"]),
            accuse_verbs=frozenset(trig_doc["attribution"]["accuse_verbs"]),
            control_words=ControlWords(frozenset(words["control"]["held"]), frozenset(words["control"]["verbs"]),
                                       frozenset(words["control"]["parts"]),
                                       frozenset(w for ws in words["places"].values() if isinstance(ws, list)
                                                 for w in ws), dict(words["control"]["holders"]),
                                       frozenset(words["control"]["partly"])),
            irregular={verb: tuple(forms) for verb, forms in trig_doc.get("irregular", {}).items()})
        return lex

    def _check(self, folder: Path) -> None:
        known = set(self.actors)
        for person in self.people.values():
            if person.affiliation and person.affiliation not in known:
                raise ResourceError(f"{folder / 'people.toml'}: {person.key} is affiliated to unknown actor "
                                    f"{person.affiliation!r}")
        for actor in self.actors.values():
            if actor.part_of and actor.part_of not in known:
                raise ResourceError(f"{folder / 'actors.toml'}: {actor.key} is part of unknown actor {actor.part_of!r}")
        for entry in self.generic.values():
            for key in (*entry.candidates, *([entry.default] if entry.default else [])):
                if key not in known:
                    raise ResourceError(f"{folder / 'actors.toml'}: generic {entry.phrase!r} names unknown actor "
                                        f"{key!r}")

    def most_specific(self, refs: Iterable[str]) -> tuple[str, ...]:
        """``refs`` without the actors another of them is part of: "Jaish al-Islam", not also "the opposition".

        >>> Lexicon.load().most_specific(["actor/syrian-opposition", "actor/jaish-al-islam", "actor/russia"])
        ('actor/jaish-al-islam', 'actor/russia')
        """
        refs = list(dict.fromkeys(refs))
        umbrellas = {u for r in refs for u in self.sides([r]) - {r}}
        return tuple(r for r in refs if r not in umbrellas)

    def sides(self, refs: Iterable[str]) -> set[str]:
        """Actor refs with every actor they are part of ("Jaish al-Islam" is one of the opposition)."""
        out = set(refs)
        for ref in list(out):
            entry = self.actors.get(ref.split("/", 1)[1]) if ref.startswith("actor/") else None
            while entry is not None and entry.part_of and f"actor/{entry.part_of}" not in out:
                out.add(f"actor/{entry.part_of}")
                entry = self.actors.get(entry.part_of)
        return out

    def trigger(self, event_type: str) -> TriggerEntry:
        """The trigger entry of ``event_type``."""
        return next(t for t in self.triggers if t.type == event_type)

    def __hash__(self) -> int:  # one lexicon per data directory; lets it key caches
        return id(self)
