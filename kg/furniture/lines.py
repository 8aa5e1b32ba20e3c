"""Line shapes: what kind of line a line of page text is (prose, headline, dateline, credit, label, prompt)."""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from kg.furniture.dates import TIME, WEEKDAY, iter_dates

_FUNCTION_WORDS = frozenset(
    "a an the of in on at by for to and or with via from as into per than over under about after before & "
    "vs nor but".split())
_NAME_PARTICLE = re.compile(r"(?:al|el|ad|ash|as|at|ar|an|az|bin|ibn|bint|abu|de|di|da|van|von|der|le|la)(?:-[A-Z]|$)")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
GLUED = re.compile(r"[a-z]{2,}[A-Z][a-z]|\d[A-Z][a-z]{2,}")
_TOP_LEVEL = r"\.(?:com|net|org|info|tv|co\.uk|io|news|me|ly)\b"
_DOMAIN = re.compile(rf"(?:https?://|www\.|\b[\w-]{{2,}}{_TOP_LEVEL}|@\w+\.\w+)", re.I)
_DOMAIN_HINT = re.compile(rf"://|www\.|{_TOP_LEVEL}|@", re.I)
"""What ``_DOMAIN`` cannot match without: a cheap search anchored on a dot, where ``_DOMAIN`` tries every word."""
_COPYRIGHT = re.compile(r"©|\bcopyright\b|\ball rights reserved\b", re.I)
NAV_SEPARATORS = re.compile(r"\s[|•·›»>]\s|\s[|•·›»>]$")
# Imperatives that start calls to action ("Follow us", "Subscribe to our ...").
_CTA = frozenset("follow subscribe share click tap sign download listen watch read join tweet email e-mail print "
                 "comment comments leave send track register log login visit advertise continue see bookmark "
                 "don't dont skip jump scroll view load".split())
HEAD_PREFIX = re.compile(r"^(?:#{1,6}\s+|[-–—•*]\s*)")
_SPLIT_TOKENS = re.compile(r"[\s/|,;:()\[\]\-–—•]+")
_CAPS_TOKEN = re.compile(r"[A-Z][A-Z&.]+")
_TITLE_TOKEN = re.compile(r"[A-Z][a-z'’]+")
_CREDIT_WORDS = frozenset("and by photo photos via with staff agencies agency news wires wire".split())


def _words(s: str) -> list[str]:
    return _WORD.findall(s)


def lower_ratio(s: str) -> float:
    """Share of the content words in ``s`` (not function words or name particles) that start in lowercase."""
    content = [w for w in _words(s[:1200]) if w.lower() not in _FUNCTION_WORDS]  # a sample is enough
    if not content:
        return 0.0
    return sum(1 for w in content if w[0].islower() and not _NAME_PARTICLE.match(w)) / len(content)


def _first_word(s: str) -> str:
    words = _words(s)
    return words[0].lower().strip(".'’") if words else ""


def is_call_to_action(s: str) -> bool:
    return _first_word(s) in _CTA and len(s.split()) <= 25


def is_web_or_legal(s: str) -> bool:
    """Whether ``s`` names a web address or a copyright.

    >>> is_web_or_legal("Read more at www.example.com"), is_web_or_legal("Rebels fled. The army took the town.")
    (True, False)
    """
    return bool(_DOMAIN_HINT.search(s) and _DOMAIN.search(s) or _COPYRIGHT.search(s))


def dateline_date(line: str) -> dt.date | None:
    """The date of ``line`` if the line is a dateline: a date standing alone.

    A dateline is short and holds little besides the date: a weekday, a
    time, a byline or a label ("Published", "This Article is From"). A date
    inside a sentence (a caption, running text) is not a dateline.

    >>> dateline_date("This Article is From Nov 26, 2014")
    datetime.date(2014, 11, 26)
    >>> dateline_date("14/10/2017 04:35 by admin")
    datetime.date(2017, 10, 14)
    >>> dateline_date("Palmyra, Syria, 19 May 2015. According to media reports") is None
    True
    """
    line = line.strip()
    if not line or len(line) > 100 or (line.endswith(".") and not re.search(r"[ap]\.m\.$", line, re.I)):
        return None
    matches = list(iter_dates(line, None))
    if not matches or matches[0].date is None:
        return None
    rest = line
    for m in reversed(matches):
        rest = rest[:m.start] + " " + rest[m.end:]
    rest = TIME.sub(" ", re.sub(WEEKDAY, " ", rest, flags=re.I))
    words = _words(rest)
    if len(words) > 6 or re.search(r"[.!?]\s+[A-Z]", rest):
        return None
    return matches[0].date


def is_credit(line: str) -> bool:
    """A credit or sign-off: a few agency-style capitals, maybe with a place ("Damascus / AFP", "- AP")."""
    core = line.strip(" -–—•|()[]")
    if not core or len(core) > 60 or core.endswith((".", "?", "!", ":", ",")):
        return False
    if re.fullmatch(r"By\s+[A-Z][\w'’.-]*(?:,?\s+(?:and\s+)?[A-Z][\w'’.-]*){0,5}", core):
        return True  # "By John Smith"
    tokens = [t for t in _SPLIT_TOKENS.split(core) if t]
    if not 1 <= len(tokens) <= 6:
        return False
    caps = [t for t in tokens if _CAPS_TOKEN.fullmatch(t)]
    if not caps:
        return False
    others = [t for t in tokens if t not in caps]
    titled = [t for t in others if _TITLE_TOKEN.fullmatch(t)]
    plain = [t for t in others if t.lower() in _CREDIT_WORDS]
    return len(titled) <= 2 and len(titled) + len(plain) == len(others)


@lru_cache(maxsize=1024)
def is_prose(line: str) -> bool:
    """Does ``line`` hold running text (a sentence), not a label, headline or credit?"""
    n = len(line.split())
    if SENTENCE_END.search(line):
        return n >= 3 and lower_ratio(line) > 0
    inner_ends = len(re.findall(r"[a-z]{2,}[.!?][\"'”’)]*\s+[\"“A-Z]", line[:3000]))
    if n >= 40 and inner_ends >= 2:  # a paragraph of sentences, then a credit or a list of links
        return True
    if n >= 8 and inner_ends:  # a sentence, then a credit or fragment
        return lower_ratio(line) >= 0.5
    return n >= 20 and lower_ratio(line) >= 0.5


def is_title_like(line: str) -> bool:
    """A headline shape: a few words, no full stop at the end, not a label."""
    n = len(line.split())
    if not 2 <= n <= 25 or line.endswith((":", ".", ",", ";")):
        return False
    return not SENTENCE_END.search(line) or (line.endswith(("?", "!")) and n <= 20)


def is_junk_line(line: str) -> bool:
    """A line without a sentence that is furniture wherever it stands: a label, prompt, menu or address."""
    words = line.split()
    if not words or is_prose(line):
        return False
    if len(words) == 1 and not line[:1].islower():
        return True  # "Advertisement", "Share", "Reuters"
    if line.endswith(":") and len(words) <= 4:
        return True  # "Follow us:", "Read more:"
    if len(NAV_SEPARATORS.findall(line + " ")) >= 2:
        return True  # "Home | World | Middle East"
    return is_call_to_action(line) or is_web_or_legal(line)


def is_trailing_junk(line: str) -> bool:
    """After the article's last sentence: anything without a sentence, prompts, addresses, notices."""
    if not line or not is_prose(line):
        return True
    n = len(line.split())
    return is_call_to_action(line) or is_web_or_legal(line) and n <= 40


# the kinds of line line_kind tells apart
BLANK, DATE, CREDIT, PROSE, SHORT = "blank", "date", "credit", "prose", "short"


def line_kind(line: str) -> str:
    """What ``line`` is: BLANK, DATE (a dateline), CREDIT, PROSE or SHORT (anything else)."""
    if not line:
        return BLANK
    if dateline_date(line) is not None:
        return DATE
    if is_credit(line):
        return CREDIT
    return PROSE if is_prose(line) else SHORT
