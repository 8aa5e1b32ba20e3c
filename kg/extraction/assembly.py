"""Event mentions -> the events one article tells, each assembled from all its tellings before it is judged.

An article tells an event several times: in its headline (the title is the
lead sentence), its lead, and later sentences that add the place, the date
or the toll. All tellings are gathered first; those of one type whose place,
date and sides do not conflict become one event (a country-level or
governorate-level telling joins a more specific one); "the city", "the
town", "the province" and unplaced tellings take the place the article is
about; a toll told before any attack it fits ("35 killed in Ariha" in the
headline) goes to the first attack told after it there. Only then is an
event kept or dropped: it must be placed below the country (or dated to the
day), and dated, or carry figures, or name who did it to whom.

>>> from kg.extraction.mentions import Sentence
>>> book = PlaceBook(Gazetteer.load(), {})
>>> s1, s2 = Sentence("Air strikes hit Idlib province.", 0, 31), Sentence("Strikes killed 9 in Idlib on Monday.", 32, 68)
>>> events = assemble([EventMention("AirStrike", "Air strikes", s1, place="place/sy/gov/idlib"),
...                    EventMention("AirStrike", "Strikes", s2, place="place/sy/idlib", date_text="on Monday")],
...                   book, published=dt.date(2016, 8, 3))
>>> [(e.type, e.place, e.date.lexical(), len(e.evidence)) for e in events]
[('AirStrike', 'place/sy/idlib', '2016-08-01', 2)]
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from kg.dates import DateValue, resolve
from kg.extraction.events import ATTACK_TYPES, EventMention, FiguresMention
from kg.extraction.figures import Figures, parse_number
from kg.extraction.mentions import EntityMention, Sentence, unique
from kg.extraction.placebook import PlaceBook
from kg.extraction.tolls import ToldFigures, article_toll, close
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon

DISCOURSE_CHARS = 600  # a telling this close after one of the same type goes on telling it


@dataclass(frozen=True)
class ArticleEvent:
    """One event as one article tells it, from all its tellings."""

    type: str
    place: str | None
    date: DateValue | None
    agents: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    evidence: tuple[Sentence, ...] = ()
    figures: tuple[Figures, ...] = ()  # the article's toll for it (:func:`.tolls.article_toll`)
    other_figures: tuple[Figures, ...] = ()  # the other counts it gives: another source's, a part, an area's
    claimed_by: tuple[str, ...] = ()
    accused_by: tuple[str, ...] = ()
    date_text: str | None = None
    changes_hands: bool = False  # a capture or surrender of its place itself (not of villages near it)


@dataclass
class _Group:
    """Tellings of one event within one article, merged as they come."""

    type: str
    mentions: list[EventMention]
    place: str | None
    date: DateValue | None
    agents: list[str]
    targets: list[str]
    participants: list[str]
    told: list[ToldFigures]  # the figures of its tellings, as each gave them
    claimed_by: list[str] = field(default_factory=list)
    accused_by: list[str] = field(default_factory=list)
    near: bool = False  # its place is only one it was outside of

    @property
    def figures(self) -> list[Figures]:
        return [t.figures for t in self.told]

    def totals(self) -> set[Figures]:
        """The figures of tellings that told several events at once ("six killed in three explosions")."""
        return {t.figures for t in self.told if t.several}

    def single_figures(self) -> list[Figures]:
        """Its figures less the totals of several events."""
        totals = self.totals()
        return [f for f in self.figures if f not in totals]

    def own_figures(self) -> list[Figures]:
        """Its figures, less a total of several events once a smaller figure of its own is told (then the total
        is the sum of this event and others: "six killed in three explosions", "two killed" at one of them)."""
        parts = self.single_figures()
        smallest = min((f.killed for f in parts if f.killed is not None), default=None)
        if smallest is None:
            return self.figures
        return [f for f in self.figures if f in parts or f.killed is None or f.killed <= smallest]

    def tolls(self, places: PlaceBook) -> tuple[list[Figures], list[Figures]]:
        """(the article's toll, its other counts) of its own figures, less those of tellings that said they told
        another event (:func:`.tolls.article_toll`); a count told alone of a place that holds the event's is of the
        area around it."""
        own = self.own_figures()
        return article_toll([replace(t, around=True) if t.place and self.place and places.deeper(self.place, t.place)
                             else t for t in self.told if t.figures in own])


def assemble(mentions: Iterable[EventMention | FiguresMention], places: PlaceBook, *, published: dt.date | None,
             sides: dict[str, str] | None = None, focus: str | None = None) -> list[ArticleEvent]:
    """The events an article tells, from its event and figure mentions in text order.

    Args:
        mentions: the article's event and figure mentions, in text order.
        places: the places they name.
        published: the article's publication date, against which dates are read.
        sides: person ref -> the actor they stand for.
        focus: the place the article is about, for tellings that name none.
    """
    return _Assembly(places, published, sides or {}, focus).run(list(mentions))


class _Assembly:
    def __init__(self, places: PlaceBook, published: dt.date | None, sides: dict[str, str], focus: str | None) -> None:
        self.lexicon = Lexicon.load()
        self.places = places
        self.published = published
        self.person_actor = sides
        self.focus = focus

    def sides(self, refs: Iterable[str]) -> set[str]:
        return self.lexicon.sides(self.person_actor.get(r, r) for r in refs)

    def run(self, mentions: list[EventMention | FiguresMention]) -> list[ArticleEvent]:
        groups: list[_Group] = []
        anchor: DateValue | None = None
        previous: EventMention | None = None
        last_of_type: dict[str, EventMention] = {}
        previous_date: DateValue | None = None
        unattached: list[tuple[FiguresMention, int]] = []  # figures told before any event they fit, and where
        for mention in mentions:
            if isinstance(mention, FiguresMention):
                if not self._attach_figures(mention, groups, previous):
                    unattached.append((mention, len(groups)))
                continue
            date = resolve(mention.date_text, published=self.published, anchor=anchor) if mention.date_text else None
            if date is not None and self.published is not None and date.first_day() > self.published:
                date = None  # "in 2035", a misread number: nothing reported has happened after the report
            if date is None and previous_date is not None and previous is not None and self._goes_on(mention, previous):
                date = previous_date  # "Six people were also reported killed in rebel shelling": that day too
            previous_date = date
            if date is not None and not mention.sentence.in_title:
                anchor = date
            told = last_of_type.get(mention.type)  # the last telling of this type ("... barrel bombs ... offensive.
            # The helicopters struck Busra al-Harir"): the offensive told between does not break the thread
            if told is not None and told.sentence != mention.sentence \
                    and 0 <= mention.sentence.start - told.sentence.end < DISCOURSE_CHARS:
                # discourse goes on: "... intensified its air strikes. On September 6, 53 were killed in air raids"
                if not mention.agents and not mention.participants:
                    mention = replace(mention, agents=told.agents)
                shared = self.sides([*mention.agents, *mention.participants]) & \
                    self.sides([*told.agents, *told.participants])
                if mention.place is None and shared:
                    mention = replace(mention, place=told.place)
            previous = last_of_type[mention.type] = mention
            group = self._group_for(mention, date, groups)
            if group is None and mention.refers_back and mention.place is None:
                continue  # "the strikes" that fit no attack told: a reference, not a telling
            if group is None:
                groups.append(_Group(mention.type, [mention], mention.place, date, list(mention.agents),
                                     list(mention.targets), list(mention.participants),
                                     self._told(mention), list(mention.claimed_by),
                                     list(mention.accused_by), mention.near))
            else:
                self._merge(group, mention, date)
        self._attach_ahead(unattached, groups)
        _date_from_main_clause(groups)
        for group in groups:
            if group.type != "DiplomaticMeeting" and self.focus is not None \
                    and _vague(group.place, self.places, self.focus):
                group.place = self.focus  # told without a place below the country, in an article about one place
        groups = self._merged(groups)
        return [_event(g, self.sides, self.places) for g in groups if _worth_keeping(g, self.places, self.sides)]

    def _goes_on(self, mention: EventMention, previous: EventMention) -> bool:
        """Whether a telling goes on from the one just before, at the same place ("six were also killed there")."""
        if mention.sentence.in_title or mention.sentence == previous.sentence:
            return False
        gap = mention.sentence.start - previous.sentence.end
        words = {w.lower() for w in mention.sentence.text.split()[:12]}
        here = mention.place is None or previous.place is not None and self.places.compatible(mention.place, previous.place)
        return 0 <= gap < DISCOURSE_CHARS // 3 and bool(words & self.lexicon.same_time) and here

    def _merged(self, groups: list[_Group]) -> list[_Group]:
        """Groups that became compatible once placed (a headline and its lead) merge, in text order."""
        out: list[_Group] = []
        for group in groups:
            target = next((g for g in out if self._joins(g, group)), None)
            if target is None:
                out.append(group)
            else:
                for mention in group.mentions:
                    self._merge(target, mention, group.date, figures=False)
                target.told += group.told
                city = self.places.common_city(group.place, target.place)
                if city is not None and not self.places.compatible(group.place, target.place):
                    target.place = city
                elif group.place and target.place and (self.places.deeper(group.place, target.place)
                                                       or target.near and not group.near):
                    target.place, target.near = group.place, group.near
        return out

    def _joins(self, a: _Group, b: _Group) -> bool:
        day = a.date is not None and b.date is not None and a.date.precision == "day" and a.date == b.date
        if a.type != b.type or not _places_fit(self.places, a.place, a.near, b.place, b.near, day):
            return False
        if a.place != b.place and _tolls_differ(a.single_figures(), b.single_figures()) \
                and not (b.date is None and a.date is not None
                         and not _says_another([m.sentence for m in b.mentions], self.lexicon.another_event)):
            return False  # 700 killed in the province, 300 in one village: two events, a total and a part
        if a.date is not None and b.date is not None and not _same_time(a.type, a.date, b.date, self.sides(a.agents),
                                                                        self.sides(b.agents)):
            return False
        if not _sides_compatible(a.type, self.sides(a.agents + a.participants), self.sides(a.targets),
                                 self.sides(b.agents + b.participants), self.sides(b.targets)):
            return False
        title = any(m.sentence.in_title for m in a.mentions + b.mentions)
        same_toll = any(f.killed is not None and f.killed == g.killed for f in a.figures for g in b.figures)
        same_day = a.date is not None and b.date is not None and a.date.precision == "day" and a.date == b.date
        undated = [g for g in (a, b) if g.date is None]
        # an undated telling of the dated event
        more = len(undated) == 1 and not _says_another([m.sentence for m in undated[0].mentions],
                                                              self.lexicon.another_event)
        return title or same_toll or same_day or more or a.place == b.place and bool(undated)

    def _group_for(self, mention: EventMention, date: DateValue | None, groups: list[_Group]) -> _Group | None:
        if mention.refers_back and mention.place is None:  # "the attack" is the attack told last
            same = [g for g in reversed(groups) if g.type == mention.type]
            last = next((g for g in same if g.place is not None), same[0] if same else None)
            if last is not None and (date is None or last.date is None or date.compatible(last.date)) and \
                    _roles_agree(self.sides(last.agents + last.participants), self.sides(last.targets),
                                 self.sides(mention.agents + mention.participants), self.sides(mention.targets)):
                return last
        for group in reversed(groups):
            day = date is not None and group.date is not None and date.precision == "day" and date == group.date
            if group.type != mention.type or not _places_fit(self.places, group.place, group.near, mention.place,
                                                                  mention.near, day):
                continue
            if date is not None and group.date is not None and not _same_time(
                    group.type, date, group.date, self.sides(mention.agents), self.sides(group.agents)):
                continue
            if not _sides_compatible(group.type, self.sides(group.agents + group.participants), self.sides(group.targets),
                                     self.sides(mention.agents + mention.participants), self.sides(mention.targets)):
                continue
            if group.place != mention.place and mention.place is not None and mention.figures \
                    and _tolls_differ(group.figures, [mention.figures]) \
                    and not (date is None and group.date is not None
                             and not _says_another([mention.sentence], self.lexicon.another_event)):
                continue  # another toll at another place: another event
            if group.place is None or mention.place is None:
                shared = self.sides([*group.agents, *group.targets, *group.participants]) & \
                    self.sides([*mention.agents, *mention.targets, *mention.participants])
                same_toll = mention.figures is not None and mention.figures.killed is not None and \
                    any(f.killed == mention.figures.killed for f in group.figures)
                title = any(m.sentence.in_title for m in group.mentions)
                if not shared and not same_toll and not title and not (date is not None and group.date is not None):
                    continue  # an unplaced telling joins only an event it shares a side, a toll or a date with
            return group
        return None

    def _merge(self, group: _Group, mention: EventMention, date: DateValue | None, *, figures: bool = True) -> None:
        if group.type == "Battle" and self.sides(mention.agents) & self.sides(group.targets) \
                and not self.sides(mention.agents) & self.sides(group.agents):
            if not mention.symmetric and self.sides(mention.targets) & self.sides(group.agents) \
                    and all(m.symmetric for m in group.mentions if m.agents or m.targets):
                # "the army clashed with IS, which attacked its posts": who attacked decides, not who was named first
                group.agents, group.targets = group.targets, group.agents
            else:  # the same battle told from the other side: "IS militants are fighting" in the SDF's battle
                mention = replace(mention, agents=mention.targets, targets=mention.agents)
        group.mentions.append(mention)
        if mention.place and group.place and mention.place != group.place:
            self.places.infer(mention.place, group.place)
            self.places.infer(group.place, mention.place)
        city = self.places.common_city(group.place, mention.place)
        if city is not None and not self.places.compatible(group.place, mention.place):
            group.place = city  # told at two parts of one city: the city
        elif mention.place and (group.place is None or group.near and not mention.near
                                or self.places.deeper(mention.place, group.place)):
            group.place, group.near = mention.place, mention.near
        if date is not None and (group.date is None or _finer(date, group.date)
                                 or date.precision == group.date.precision == "day" and date.first_day() < group.date.first_day()):
            group.date = date  # the finest date; of a battle told over days, its first
        group.agents = unique([*group.agents, *mention.agents])
        group.targets = unique([*group.targets, *mention.targets])
        group.participants = unique([*group.participants, *mention.participants])
        group.claimed_by = unique([*group.claimed_by, *mention.claimed_by])
        group.accused_by = unique([*group.accused_by, *mention.accused_by])
        if figures:
            group.told += self._told(mention)

    def _told(self, mention: EventMention | FiguresMention) -> list[ToldFigures]:
        """The figures a telling gives, as it gave them."""
        if not mention.figures:
            return []
        sentence = mention.sentence
        words = _words(sentence)
        another = _another_count(words, mention.figures, self.lexicon.another_event)
        near = isinstance(mention, EventMention) and mention.near
        alone = mention.place if isinstance(mention, FiguresMention) else None
        at = (0 if sentence.in_title else 1, sentence.start)
        return [ToldFigures(mention.figures, another, mention.several, at=at, around=near,
                            update=self._updates(words), place=alone)]

    def _updates(self, words: list[str]) -> bool:
        """Whether a sentence (its :func:`_words`) updates the toll told before ("the death toll later rose to 35")."""
        return "toll" in words and not self.lexicon.toll_update.isdisjoint(words)

    def _attach_figures(self, mention: FiguresMention, groups: list[_Group], previous: EventMention | None) -> bool:
        """Figures told apart from their event: to the last event with agreeing figures and place.

        Figures at another place right after an attack ("another 40 fighters were killed around Albu Kamal") tell
        another attack of the same kind there. False when they fit no event told so far.
        """
        figures = mention.figures
        date = self._date_of(mention)
        update = self._updates(_words(mention.sentence))
        for group in reversed(groups):
            if date is not None and group.date is not None and not date.compatible(group.date):
                continue  # "On Sunday 11 were killed", after Tuesday's attack: not its dead
            place_ok = mention.place is None or self.places.compatible(group.place, mention.place)
            totals = group.totals()
            bare = not group.figures and group is groups[-1] and group.type in ATTACK_TYPES[:5] and not (
                mention.place and group.place and self.places.deeper(group.place, mention.place))  # not an area's toll
            agree = all(f.killed in (None, figures.killed) or figures.killed is None or f in totals
                        for f in group.figures)
            if place_ok and (bare or group.figures and (update or agree)):
                only_totals = bool(group.figures) and all(f in totals for f in group.figures)
                if mention.place and (group.place is None or only_totals and self.places.deeper(mention.place,
                                                                                               group.place)):
                    group.place = mention.place  # "Strikes on two hospitals killed 10 ... six at the one in X": X
                group.date = group.date or date
                group.told += self._told(mention)
                group.mentions.append(_telling(group.type, mention))  # its sentence is the event's evidence
                return True
        last = groups[-1] if groups else None
        if last is not None and previous is not None and last.type in ATTACK_TYPES[:5] and mention.place \
                and self.places.kind(mention.place) not in {None, "country"} \
                and 0 <= mention.sentence.start - previous.sentence.end < DISCOURSE_CHARS:
            telling = EventMention(last.type, "", mention.sentence, tuple(last.agents), (), (), mention.place,
                                   mention.date_text, figures)
            groups.append(_Group(last.type, [telling], mention.place, date or last.date, list(last.agents), [], [],
                                 self._told(mention)))
            return True
        return False

    def _attach_ahead(self, unattached: list[tuple[FiguresMention, int]], groups: list[_Group]) -> None:
        """Figures told before any event they fit go to the first attack told after them at their place that
        has no figures of its own: "35 killed in Ariha" in a headline, the air raid on the town told later."""
        bare = [g for g in groups if not g.figures]
        for mention, told_before in unattached:
            date = self._date_of(mention)
            group = next((g for g in groups[told_before:] if g in bare and g.type in ATTACK_TYPES[:5]
                          and self.places.compatible(g.place, mention.place)
                          and (date is None or g.date is None or date.compatible(g.date))), None)
            if group is None:
                continue
            group.mentions.insert(0, _telling(group.type, mention))
            group.told += self._told(mention)
            group.place = group.place or mention.place
            group.date = group.date or date

    def _date_of(self, mention: FiguresMention) -> DateValue | None:
        """The date figures told apart from their event give, read against the publication date."""
        date = resolve(mention.date_text, published=self.published) if mention.date_text else None
        if date is None or self.published is not None and date.first_day() > self.published:
            return None
        return date


def _telling(event_type: str, mention: FiguresMention) -> EventMention:
    """Figures told apart from their event, as a telling of it (no trigger of its own)."""
    return EventMention(event_type, "", mention.sentence, place=mention.place, date_text=mention.date_text,
                        figures=mention.figures)


def _worth_keeping(group: _Group, places: PlaceBook, sides: Callable[[Iterable[str]], set[str]]) -> bool:
    """Whether a group is specific enough to be an event: placed, and dated or argued.

    Attacks need a place below the country (or a country and a day) and a date, figures, or both an agent
    and a target; meetings need a date or a place below the country, and two parties (or one and a place).
    """
    kind = places.kind(group.place)
    if group.type == "DiplomaticMeeting":
        if group.date is None and kind in {None, "country"}:
            return False  # "paid a visit to Russia", some time: not a meeting one can put on a map or a timeline
        return len(sides(group.participants)) >= 2 or (kind is not None and bool(group.participants))
    if group.place is None:
        return False
    if kind == "country" and (group.date is None or group.date.precision != "day"):
        return False  # "strikes against IS in Iraq and Syria": a campaign, not one event
    return bool(group.date is not None or any(group.figures) or (group.agents and group.targets))


def _says_another(sentences: Sequence[Sentence], another_event: frozenset[str] | set[str]) -> bool:
    """Whether tellings say they are of another event than the one told before ("Separate air strikes killed 12",
    "shelling has meanwhile killed another three": ``another_event``). Undated tellings of another toll at another
    place otherwise tell more of the dated event of their type (another source's count, the school the shell hit)."""
    return any(not another_event.isdisjoint(_words(s)) for s in sentences)


def _words(sentence: Sentence) -> list[str]:
    """A sentence's words, lower-cased, without the punctuation around them."""
    return [w.strip(".,;:\"'").lower() for w in sentence.text.split()]


def _another_count(words: list[str], figures: Figures, another_event: frozenset[str] | set[str]) -> bool:
    """Whether a telling's figures are another event's (:func:`_says_another`): not when the word only counts
    something else ("killed 15 civilians and 27 fighters, with another 10 bodies yet to be identified").

    >>> cue = {"another", "separate"}
    >>> _another_count(_words(Sentence("Shelling killed another three people.", 0, 37)), Figures(killed=3), cue)
    True
    >>> _another_count(_words(Sentence("It killed 42, with another 10 bodies found.", 0, 43)), Figures(killed=42), cue)
    False
    """
    for i, word in enumerate(words):
        if word not in another_event:
            continue
        count = parse_number(words[i + 1]) if i + 1 < len(words) else None
        if count is None or figures.killed is None or count == figures.killed:
            return True
    return False


def _vague(place: str | None, places: PlaceBook, focus: str | None) -> bool:
    """Whether ``place`` says less than the article's ``focus``: none, or a country that holds the focus."""
    if place is None:
        return True
    kind = places.kind(place)
    if kind == "country":
        focus_place = places.place(focus) if focus else None
        here = places.place(place)
        return focus_place is not None and here is not None and places.contains(here, focus_place)
    return False


def _places_fit(places: PlaceBook, a: str | None, a_near: bool, b: str | None, b_near: bool,
                same_day: bool = False) -> bool:
    """Places of two tellings that may be one event's; one the event was outside of fits any nearby, and
    parts of one city fit on the same day ("shelling hit several areas of the capital")."""
    if a_near or b_near:
        return a is None or b is None or places.kind(a) != "country" and places.kind(b) != "country"
    return places.compatible(a, b) or (same_day and places.common_city(a, b) is not None)


def _date_from_main_clause(groups: list[_Group]) -> None:
    """An undated event told in an "as" clause happened when the main clause's event did."""
    for group in groups:
        if group.date is not None:
            continue
        for mention in group.mentions:
            if mention.same_time_as is None:
                continue
            for other in groups:
                if other is not group and other.date is not None and any(
                        m.sentence.start == mention.sentence.start and m.trigger == mention.same_time_as
                        for m in other.mentions):
                    group.date = other.date
                    break


def _event(group: _Group, sides: Callable[[Iterable[str]], set[str]], places: PlaceBook) -> ArticleEvent:
    """The event a group tells, its targets less the agents' own side."""
    evidence = tuple(dict.fromkeys(m.sentence for m in group.mentions))
    targets = [t for t in group.targets if sides([t]) - sides(group.agents)]
    date_text = next((m.date_text for m in group.mentions if m.date_text), None)
    changes = group.type in {"Capture", "Surrender"} and not any(m.takes_other for m in group.mentions) \
        and all(not m.taken or group.place in m.taken for m in group.mentions)  # the place itself was taken
    toll, other = group.tolls(places)
    return ArticleEvent(group.type, group.place, group.date, tuple(group.agents), tuple(targets),
                        tuple(group.participants), evidence, tuple(toll), tuple(other), tuple(group.claimed_by),
                        tuple(group.accused_by), date_text, changes)


def focus_place(mentions: Sequence[EntityMention], places: PlaceBook) -> str | None:
    """The place an article is about: a city (or village) named at least three times and twice as often as any other.

    A neighbourhood counts for its city; with no such city, a governorate named as often stands in.
    """
    counts: dict[str, int] = {}
    for m in mentions:
        if m.kind != "place":
            continue
        place = places.place(m.ref)
        if place is None or place.kind not in {"city", "neighbourhood", "area", "governorate"}:
            continue
        ref = m.ref
        if place.kind == "neighbourhood" and place.parent:
            ref = f"place/{place.parent}"
        counts[ref] = counts.get(ref, 0) + 1
    areas: dict[str, int] = {}
    for ref, n in counts.items():  # "Idlib" and "Idlib province" count as one area
        area = next((r for r in areas if places.same_area(r, ref)), ref)
        areas[area] = areas.get(area, 0) + n
    if not areas:
        return None
    ranked = sorted(areas.items(), key=lambda kv: (-kv[1], kv[0]))
    top, n = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return top if n >= 3 and n > 2 * runner_up else None


def _sides_compatible(event_type: str, agents_a: set[str], targets_a: set[str], agents_b: set[str],
                      targets_b: set[str]) -> bool:
    """Two tellings may be one event unless their sides clearly differ."""
    a, b = agents_a | targets_a, agents_b | targets_b
    if event_type == "DiplomaticMeeting":  # the same talks have the same parties, whoever is named
        return not a or not b or a <= b or b <= a
    if event_type == "Battle":
        return not a or not b or bool(a & b)
    return not (agents_a and agents_b and not agents_a & agents_b)


def _roles_agree(agents_a: set[str], targets_a: set[str], agents_b: set[str], targets_b: set[str]) -> bool:
    """Whether a telling's sides may be the event's it refers back to: no side in both roles, no other agent.

    >>> _roles_agree(set(), {"actor/syrian-government"}, {"actor/nusra-front"}, set())  # "the attack" was Nusra's
    True
    >>> _roles_agree({"actor/islamic-state"}, set(), set(), {"actor/islamic-state"})
    False
    """
    if agents_a & targets_b or targets_a & agents_b:
        return False
    return not (agents_a and agents_b and not agents_a & agents_b)


BATTLE_DAYS = 3  # tellings of one battle may date it to days this far apart ("clashes since Wednesday")


def _same_time(event_type: str, a: DateValue, b: DateValue, agents_a: set[str], agents_b: set[str]) -> bool:
    """Whether two tellings' dates may be one event's: compatible, or days of one battle fought by the same side."""
    if a.compatible(b):
        return True
    return event_type == "Battle" and a.precision == b.precision == "day" and \
        abs((a.first_day() - b.first_day()).days) <= BATTLE_DAYS and not (agents_a and agents_b and not agents_a & agents_b)


def _tolls_differ(a: Sequence[Figures], b: Sequence[Figures]) -> bool:
    """Whether two sets of tellings both give death tolls, share none, and none are close.

    >>> _tolls_differ([Figures(killed=700)], [Figures(killed=300)]), _tolls_differ([Figures(killed=20)], [Figures(killed=22)])
    (True, False)
    >>> _tolls_differ([Figures(killed=4)], [Figures(killed=3)])
    True
    """
    ka = {f.killed for f in a if f.killed is not None}
    kb = {f.killed for f in b if f.killed is not None}
    return bool(ka and kb and not ka & kb and not any(close(x, y) for x in ka for y in kb))


def _finer(a: DateValue, b: DateValue) -> bool:
    order = {"year": 0, "month": 1, "day": 2}
    return order[a.precision] > order[b.precision]
