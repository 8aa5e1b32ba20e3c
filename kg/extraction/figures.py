"""Casualty figures in a sentence: how many killed, civilians among them, injured, and how sure.

Numbers in digits or words ("63", "195,000", "two", "twenty-one"), with the
qualifier the text gives ("at least", "more than", "about", "up to"). War
tolls ("the conflict has killed more than 195,000 people") are not the
figures of an event.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extraction.mentions import Sentence


@dataclass(frozen=True)
class Figures:
    """Casualty figures a sentence (or an article) gives for an event, and who the article says gave them."""

    killed: int | None = None
    civilians: int | None = None
    injured: int | None = None
    qualifier: str = "exact"
    reported_by: str | None = None  # actor or person ref of the source the article cites
    evidence: Sentence | None = None  # the sentence they were read from, once known

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.killed, self.civilians, self.injured))


@dataclass(frozen=True)
class _Needing:
    """A pattern and the words it cannot match without (one of them, in lower case): a sentence with none of
    them is not searched, which spares the patterns that begin with an optional qualifier a try at every
    position of it.

    >>> _Needing(re.compile(r"(?:some\\s+)?\\d+ dead", re.I), ("dead",)).search("Twelve dead", "twelve dead") is None
    True
    """

    pattern: re.Pattern[str]
    words: tuple[str, ...]

    def search(self, text: str, lower: str) -> re.Match[str] | None:
        """The pattern's first match in ``text`` (``lower`` is ``text.lower()``)."""
        return self.pattern.search(text) if any(w in lower for w in self.words) else None


_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                      "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
NUMBER = (r"(?:\d{1,3}(?:[,.]\d{3})+|\d+|(?:(?:" + "|".join(list(_TENS) + list(_UNITS)) +
          r")(?:[- ](?:" + "|".join(_UNITS) + r"))?(?: hundred(?: and)?(?: (?:" + "|".join(list(_TENS) + list(_UNITS)) +
          r")(?:[- ](?:" + "|".join(_UNITS) + r"))?)?)?(?: thousand)?)|a dozen|dozens|a hundred|hundreds)")
QUALIFIERS = {"at least": "at least", "more than": "more than", "over": "more than", "about": "about", "around": "about",
              "nearly": "about", "almost": "about", "some": "about", "roughly": "about", "approximately": "about",
              "up to": "up to", "as many as": "up to", "at most": "up to"}
ADDITIVE = r"(?:(?:another|a further|an additional|further)\s+)?"
"""Words that add a count to one told before ("killed another three people"): the count is this event's."""
QUALIFIER = r"(?:(?P<q>at least|more than|over|about|around|nearly|almost|some|roughly|approximately|up to|as many as|at most)\s+)?"


def parse_number(text: str) -> int | None:
    """A cardinal in digits or words, or None for vague amounts ("dozens").

    >>> parse_number("195,000"), parse_number("two"), parse_number("twenty-one"), parse_number("three hundred")
    (195000, 2, 21, 300)
    >>> parse_number("dozens") is None
    True
    """
    text = text.lower().strip()
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+|\d+", text):
        return int(re.sub(r"[,.]", "", text))
    if text in {"dozens", "hundreds", "a dozen", "a hundred"}:
        return {"a dozen": 12, "a hundred": 100}.get(text)
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text.replace(" and ", " ")):
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        elif word:
            return None
    return total + current


PEOPLE = (r"(?:\w+\s+){0,2}?(?:people|persons|civilians|children|women|men|fighters|soldiers|militants|jihadists"
          r"|rebels|members|troops|residents|victims|others|individuals|combatants|policemen|workers|pilgrims|refugees"
          r"|worshippers|students|gunmen|staff|medics|doctors|nurses|paramedics|rescuers|volunteers|journalists"
          r"|officers|guards|prisoners|detainees|passengers|pupils|schoolchildren|babies|infants|relatives|villagers"
          r"|farmers|fishermen|shoppers|mourners|guests)")
_DEAD_WORDS = ("killed", "dead", "died", "martyred", "slain", "lost their lives", "perished", "executed", "beheaded")
DEAD = "(?:" + "|".join(_DEAD_WORDS) + ")"
NOT_PEOPLE = (r"(?:villages?|towns?|cities|days?|weeks?|months?|years?|hours?|times?|hospitals?|schools?|buildings?"
              r"|districts?|areas?|provinces?|neighbou?rhoods?|rockets?|shells?|bombs?|strikes?|raids?)\b")
_PATTERNS_KILLED = [_Needing(pattern, words) for pattern, words in [
    (re.compile(ADDITIVE + QUALIFIER + r"(?P<n>" + NUMBER + r")\s+(?!" + NOT_PEOPLE + r"|" + NUMBER + r"\b)(?:" + PEOPLE + r"\s+)?(?:[,-]?\s*including\s+[^.;]{0,40}?\s+-?\s*|(?:from|in|at|inside|near)\s+(?:\w+\s+){1,5}?|(?:\w+\s+){0,2}?)(?:(?:were|was|are|being|(?:have|has|had)(?:\s+(?:also|reportedly))?\s+been)\s+)?(?:(?:reportedly|also|reported|confirmed)\s+){0,2}" + DEAD + r"\b(?!\s+(?:and|or|&)\s+(?:injured|wounded|hurt))", re.I), _DEAD_WORDS),
    (re.compile(r"\b(?:kill(?:ed|ing|s)?|claimed the lives of|left|leaving)\s+" + ADDITIVE + QUALIFIER + r"(?P<n>" + NUMBER + r")\b(?!\s*(?:%|per|years|km|kilomet|metres|meters|million|billion))", re.I),
     ("kill", "claimed the lives of", "left", "leaving")),
    (re.compile(r"\bdeath toll\b[^.]{0,60}?\b(?:to|of|at|reached|hit)\s+" + QUALIFIER + r"(?P<n>" + NUMBER + r")\b", re.I),
     ("death toll",)),
    (re.compile(r"\bthe\s+(?P<n>" + NUMBER + r")\s+(?:people\s+)?(?:killed|dead)\b", re.I), ("killed", "dead")),
    (re.compile(r"\bdeaths?\s+of\s+" + QUALIFIER + r"(?P<n>" + NUMBER + r")\s+(?!" + NOT_PEOPLE + r")", re.I), ("death",)),
    (re.compile(QUALIFIER + r"(?P<n>" + NUMBER + r")\s+(?:\w+\s+)?martyrs\b", re.I), ("martyrs",)),  # "6 Lebanese martyrs"
]]
_CIVILIAN_DEAD = re.compile(r"\s*(?:\w+\s+)?(?:civilians|children|schoolchildren|pupils|babies|infants)\b", re.I)
"""The noun of a count of dead who were all civilians (children are: "at least five Syrian children were killed")."""
_PATTERN_CIVILIANS = _Needing(re.compile(r"(?:including|among them|among whom|of them|of whom|were)\s+" + QUALIFIER +
                                r"(?P<n>" + NUMBER + r")\s+(?:\w+\s+)?civilians|" + QUALIFIER.replace("<q>", "<q2>") +
                                r"(?P<n2>" + NUMBER +
                                r")\s+(?:\w+\s+)?civilians\s+(?:\w+\s+){0,3}?(?:were|was|have been|had been)?\s*(?:killed|dead|died)", re.I),
    ("civilians",))
_PATTERN_CIVILIANS_KILLED = _Needing(re.compile(r"\b(?:kill(?:ed|ing|s)?|claimed the lives of|left)\s+" + ADDITIVE
                                                + QUALIFIER + r"(?P<n>" + NUMBER + r")\s+(?:\w+\s+)?civilians\b", re.I),
                                     ("civilians",))
# "23 civilians - including nine children - and 16 combatants dead": a total told by its parts
_COMBATANT_WORDS = (r"combatants?|combattants?|fighters|soldiers|militants|rebels|militiamen|troops|jihadists"
                    r"|gunmen|members|policemen|mercenaries")
_COMBATANTS = r"(?:\w+\s+)?(?:" + _COMBATANT_WORDS + r")\b"
_VICTIMS = r"(?:\w+\s+){0,3}?(?:civilians|people|women|men|children|" + _COMBATANT_WORDS + r")\b"
_PATTERN_PARTS = _Needing(re.compile(r"(?P<a>" + NUMBER + r")\s+civilians\b[^.;]{0,50}?\band\s+(?P<b>" + NUMBER + r")\s+"
                            + _COMBATANTS + r"[^.;]{0,40}?\b" + DEAD +
                            r"|\b(?P<a3>" + NUMBER + r")\s+" + _VICTIMS + r"\s+and\s+(?P<b3>" + NUMBER + r")\s+" + _VICTIMS +
                            r"\s+(?:were|have been|had been)\s+(?:\w+\s+)?" + DEAD +
                            r"|\b(?:kill(?:ed|ing|s)?|leaving|left)\s+(?P<a2>" + NUMBER + r")\s+civilians\s+and\s+(?P<b2>"
                            + NUMBER + r")\s+" + _COMBATANTS, re.I), ("and",))
_PATTERN_INJURED = [
    _Needing(re.compile(QUALIFIER + r"(?P<n>" + NUMBER + r")\s+(?:" + PEOPLE + r"\s+)?(?:were|was|have been|had been)?\s*"
                        r"(?:wounded|injured|hurt)\b", re.I), ("wounded", "injured", "hurt")),
    _Needing(re.compile(r"\b(?:wound(?:ed|ing|s)?|injur(?:ed|ing|es))\s+" + QUALIFIER + r"(?P<n>" + NUMBER + r")\b", re.I),
             ("wound", "injur")),
]
_ANY_NUMBER = re.compile(r"\d|\b(?:" + "|".join([*_UNITS, *_TENS, "dozen", "dozens", "hundred", "hundreds"]) + r")\b", re.I)
_FIGURE_WORDS = ("kill", "dead", "death", "died", "martyr", "slain", "lost their lives", "perished", "executed",
                 "beheaded", "claimed the lives", "left", "leaving", "civilians", "wound", "injur", "hurt")
"""A word every figure pattern below needs (its death word, "civilians", or its injury word): a sentence
without one gives no figures, and is not searched for them."""
_AGGREGATE = re.compile(r"\b(?:conflict|war|uprising|revolt|revolution|crisis)\b[^.]{0,60}\b(?:killed|left|claimed|cost)\b|"
                        r"\bsince (?:the )?(?:start|beginning|outbreak)\b|\bsince 20\d\d\b|\btotal of\b|\bso far this year\b"
                        r"|\b(?:over|in|during|throughout) the (?:past|last) (?:year|(?:\w+ )?(?:years|months))\b"
                        r"|\bkilled across (?:the country|syria)\b|\bsince (?:the )?(?:conflict|war|uprising|revolt)\b"
                        r"|\b(?:have|has) so far been\b|\bin the ongoing\b",
                        re.I)


def figures_in(text: str) -> Figures | None:
    """The casualty figures a sentence gives, or None.

    >>> figures_in("air strikes killed at least 95 people")
    Figures(killed=95, civilians=None, injured=None, qualifier='at least', reported_by=None, evidence=None)
    >>> figures_in("On September 6, 53 people were killed in air strikes, among them at least 31 civilians").civilians
    31
    >>> figures_in("On March 3 2016 two people died").killed  # the count is the number nearest its noun
    2
    >>> figures_in("Six people were also reported killed in rebel shelling").killed
    6
    >>> figures_in("6 Lebanese martyrs and 22 injured were claimed in a terrorist bombing").killed
    6
    >>> figures_in("at least five Syrian children were killed").civilians  # children are civilians
    5
    >>> figures_in("The Observatory documented the death of 19 civilians, among them four children").civilians
    19
    >>> figures_in("four medical staff from a dispensary in Maarzita were also killed").killed
    4
    >>> figures_in("At Least 48 Killed and Injured in Mortar Attacks") is None  # the dead and the hurt together
    True
    >>> figures_in("The conflict has killed more than 195,000 people") is None
    True
    >>> figures_in("Some 120 Islamic State group fighters and 60 foreign mercenaries were killed").killed  # its parts
    180
    """
    lower = text.lower()
    if not any(w in lower for w in _FIGURE_WORDS) or not _ANY_NUMBER.search(text) or is_war_toll(text):
        return None
    killed = civilians = injured = None
    qualifier = "exact"
    for pattern in _PATTERNS_KILLED:
        m = pattern.search(text, lower)
        if m and (n := parse_number(m.group("n"))) is not None and n < 100000:
            killed, qualifier = n, QUALIFIERS.get((m.group("q") or "").lower(), "exact") if "q" in m.groupdict() else "exact"
            if _CIVILIAN_DEAD.match(text, m.end("n")):
                civilians = n  # "23 civilians - including nine children - dead", "five children were killed"
            break
    m = _PATTERN_CIVILIANS.search(text, lower)
    if m and civilians is None:
        number = m.group("n") or m.group("n2")
        q = m.group("q") if m.group("n") else m.group("q2")
        civilians = parse_number(number)
        if killed is None and civilians is not None and re.search(DEAD, text, re.I):
            qualifier = QUALIFIERS.get((q or "").lower(), "exact")
    if civilians is None and (m := _PATTERN_CIVILIANS_KILLED.search(text, lower)) is not None:
        civilians = parse_number(m.group("n"))  # "killed at least 16 civilians"
    parts = _PATTERN_PARTS.search(text, lower)
    if parts is not None:
        a = parse_number(parts.group("a") or parts.group("a2") or parts.group("a3"))
        b = parse_number(parts.group("b") or parts.group("b2") or parts.group("b3"))
        if a is not None and b is not None and killed in (None, a, b):
            killed = a + b  # "two women and two soldiers were killed": four
            if not parts.group("a3"):
                civilians = a
    if killed is not None and civilians is not None and civilians > killed:
        civilians = None
    for pattern in _PATTERN_INJURED:
        m = pattern.search(text, lower)
        if m and (n := parse_number(m.group("n"))) is not None and n < 100000:
            injured = n
            break
    figures = Figures(killed, civilians, injured, qualifier)
    return figures if figures else None


def is_war_toll(text: str) -> bool:
    """Whether a sentence counts the dead of a war or a period, not of one event.

    >>> is_war_toll("The conflict has killed more than 195,000 people"), is_war_toll("Strikes killed 9 on Monday")
    (True, False)
    """
    return bool(_AGGREGATE.search(text))


def qualifier_of(words: str) -> str:
    """The qualifier of a count told with ``words`` before it ("more than", "at least"), else "exact".

    >>> qualifier_of("more than"), qualifier_of("Some"), qualifier_of("")
    ('more than', 'about', 'exact')
    """
    return QUALIFIERS.get(words.lower().strip(), "exact")


_AMONG = re.compile(r"\bamong\s+(?:the\s+)?" + QUALIFIER + NUMBER + r"\b", re.I)


def is_part_of_total(text: str) -> bool:
    """Whether a sentence counts a total its subject is part of ("They were among 19 people killed").

    >>> is_part_of_total("They were among 19 people killed on Thursday"), is_part_of_total("19 people were killed")
    (True, False)
    """
    return bool(_AMONG.search(text))
