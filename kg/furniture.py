"""Page furniture: what a page puts around an article, and how to take it off.

News text copied from the web carries more than the article: adverts and
share prompts, bylines and datelines, photo credits, site footers, and lists
of other stories after the article ends. None of it is the article, and the
names in it must not reach the graph. :func:`clean_text` removes it with
general rules about the *shape* of text, not lists of known strings:

- a **prose** line holds sentences (final punctuation, lowercase words);
  the article's body starts at the first prose line; headline-like lines
  before it are kept (the longest is the headline), other lines dropped;
- a **dateline** is a short line that is mostly a date (plus a weekday, a
  time, a label or a byline); a **credit** is a short line of agency-style
  capitals ("AFP", "Damascus / AFP", "- AP"); both are removed, and the
  first dateline near the top (or in the sign-off) is the publication date.
  A date inside a sentence (a photo caption, running text) is no dateline;
- the article **ends** at a dateline, credit or prompt after which only
  non-article text follows: no prose, or mostly headlines that name nothing
  the article names; a **list of other stories** (3+ headline + one-sentence
  teaser pairs about other things, running to the end) is cut likewise;
- one-word labels ("Advertisement"), prompts ("Follow us:", "Share this"),
  menus ("Home | World") and lines with web addresses or copyright notices
  are dropped, and so is whatever has no sentence after the last sentence;
- at the end of the last paragraph, sentence by sentence: a trailing
  "Related ..." block (when no article text follows it), sign-offs
  ("- REUTERS"), reporter credits ("Reporting by ...; Editing by ..."),
  fragments without a sentence, and lines about the outlet itself;
- in a one-paragraph text (as in FA-KES) a leading dateline, or a date and
  byline before the known headline, is cut from its start.

Section subheads and photo captions inside the article are kept, and a line
broken in the middle of a sentence is joined again.

>>> cleaned = clean_text("Advertisement\\nWed Nov 26 2014\\nRaids kill 95 in Raqa\\n"
...                      "Air strikes killed 95 people in Raqa, a monitor said.\\n- AP\\nFollow us:")
>>> print(cleaned.text)
Raids kill 95 in Raqa
Air strikes killed 95 people in Raqa, a monitor said.
>>> cleaned.title, cleaned.published
('Raids kill 95 in Raqa', datetime.date(2014, 11, 26))
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from kg.datevalue import MONTH_NUMBERS

__all__ = ["Cleaned", "clean_text", "clean_title", "cut_at_sentence", "dateline_date", "normalise", "parse_date"]

# --------------------------------------------------------------------------- dates

_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
        r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = (r"\b(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
            r"|sat(?:urday)?|sun(?:day)?)\b\.?,?")
_ORD = r"(?:st|nd|rd|th)?"
# Each pattern yields named groups d, m (number or month name) and y.
_DATE_PATTERNS = [
    re.compile(rf"\b(?P<m>{_MON})\s+(?P<d>\d{{1,2}}){_ORD},?\s*(?P<y>(?:19|20)\d\d)(?!\d)", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>{_MON}),?\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.I),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d)(?!\d)"),
]
_TIME = re.compile(
    r"(?:\bat\s+)?(?:\b\d{1,2}[:.h]\d\d(?::\d\d)?(?:\s*[ap]\.?m\b\.?)?|(?<=at )\d{4}\b"
    r"|\b\d{3,4}(?=\s*(?:GMT|UTC)))"
    r"(?:\s*\(?(?-i:GMT|UTC|[A-Z]{2,4}T?)\b\)?(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?)?", re.I)
_ISO_DATETIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


@dataclass(frozen=True)
class _DateMatch:
    start: int
    end: int
    date: dt.date | None  # None: a date, but ambiguous or impossible


def _month(value: str) -> int:
    return int(value) if value.isdigit() else MONTH_NUMBERS[value[:3].lower()]


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _iter_dates(text: str, order: str | None) -> Iterator[_DateMatch]:
    """Every date written in ``text``, in text order (overlaps removed)."""
    found: list[_DateMatch] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            groups = m.groupdict()
            year = int(groups["y"])
            if "a" in groups:  # all-numeric, day and month in either order
                a, b, sep = int(groups["a"]), int(groups["b"]), groups["sep"]
                if sep == "." or a > 12 >= b or (a != b and order == "DMY" and b <= 12):
                    date = _make_date(year, b, a)
                elif b > 12 >= a or (order == "MDY" and a <= 12):
                    date = _make_date(year, a, b)
                elif a == b:
                    date = _make_date(year, a, a)
                else:
                    date = None
            else:
                date = _make_date(year, _month(groups["m"]), int(groups["d"]))
            found.append(_DateMatch(m.start(), m.end(), date))
    yield from sorted(found, key=lambda f: f.start)


_LONGEST_DATE = 200
"""A longer value is no date (and finding dates in it would take time quadratic in its length)."""


def parse_date(value: str, *, order: str | None = None) -> dt.date | None:
    """The calendar date that ``value`` is, or None if it is not exactly one date.

    Accepts ISO dates and datetimes, month names ("Nov 26, 2014",
    "Wednesday 26 November 2014 10:07") and numbers ("14/10/2017",
    "26.11.2014"). A numeric date whose day and month could be swapped is
    read in ``order`` ("DMY" or "MDY"), and is None without one.

    >>> parse_date("2014-11-26"), parse_date("Wed Nov 26 2014")
    (datetime.date(2014, 11, 26), datetime.date(2014, 11, 26))
    >>> parse_date("14/10/2017"), parse_date("4/5/2017"), parse_date("4/5/2017", order="MDY")
    (datetime.date(2017, 10, 14), None, datetime.date(2017, 4, 5))
    >>> parse_date("next week") is None
    True
    """
    value = value.strip()
    if len(value) > _LONGEST_DATE:
        return None
    if _ISO_DATETIME.match(value):
        try:
            return dt.datetime.fromisoformat(value).date()
        except ValueError:
            pass
    matches = list(_iter_dates(value, order))
    if len(matches) != 1 or matches[0].date is None:
        return None
    m = matches[0]
    rest = value[:m.start] + " " + value[m.end:]
    rest = _TIME.sub(" ", re.sub(_WEEKDAY, " ", rest, flags=re.I))
    if re.search(r"[^\W_]", rest):
        return None
    return m.date


# --------------------------------------------------------------------------- line shapes

_FUNCTION_WORDS = frozenset(
    "a an the of in on at by for to and or with via from as into per than over under about after before & "
    "vs nor but".split())
_NAME_PARTICLE = re.compile(r"(?:al|el|ad|ash|as|at|ar|an|az|bin|ibn|bint|abu|de|di|da|van|von|der|le|la)(?:-[A-Z]|$)")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_GLUED = re.compile(r"[a-z]{2,}[A-Z][a-z]|\d[A-Z][a-z]{2,}")
_DOMAIN = re.compile(r"(?:https?://|www\.|\b[\w-]{2,}\.(?:com|net|org|info|tv|co\.uk|io|news|me|ly)\b|@\w+\.\w+)",
                     re.I)
_COPYRIGHT = re.compile(r"©|\bcopyright\b|\ball rights reserved\b", re.I)
_NAV_SEPARATORS = re.compile(r"\s[|•·›»>]\s|\s[|•·›»>]$")
# Imperatives that start calls to action ("Follow us", "Subscribe to our ...").
_CTA = frozenset("follow subscribe share click tap sign download listen watch read join tweet email e-mail print "
                 "comment comments leave send track register log login visit advertise continue see bookmark "
                 "don't dont skip jump scroll view load".split())
_HEAD_PREFIX = re.compile(r"^(?:#{1,6}\s+|[-–—•*]\s*)")
_SPLIT_TOKENS = re.compile(r"[\s/|,;:()\[\]\-–—•]+")
_CAPS_TOKEN = re.compile(r"[A-Z][A-Z&.]+")
_TITLE_TOKEN = re.compile(r"[A-Z][a-z'’]+")
_CREDIT_WORDS = frozenset("and by photo photos via with staff agencies agency news wires wire".split())


def _words(s: str) -> list[str]:
    return _WORD.findall(s)


def _lower_ratio(s: str) -> float:
    """Share of the content words in ``s`` (not function words or name particles) that start in lowercase."""
    content = [w for w in _words(s[:1200]) if w.lower() not in _FUNCTION_WORDS]  # a sample is enough
    if not content:
        return 0.0
    return sum(1 for w in content if w[0].islower() and not _NAME_PARTICLE.match(w)) / len(content)


def _first_word(s: str) -> str:
    words = _words(s)
    return words[0].lower().strip(".'’") if words else ""


def _is_call_to_action(s: str) -> bool:
    return _first_word(s) in _CTA and len(s.split()) <= 25


def _is_web_or_legal(s: str) -> bool:
    return bool(_DOMAIN.search(s) or _COPYRIGHT.search(s))


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
    matches = list(_iter_dates(line, None))
    if not matches or matches[0].date is None:
        return None
    rest = line
    for m in reversed(matches):
        rest = rest[:m.start] + " " + rest[m.end:]
    rest = _TIME.sub(" ", re.sub(_WEEKDAY, " ", rest, flags=re.I))
    words = _words(rest)
    if len(words) > 6 or re.search(r"[.!?]\s+[A-Z]", rest):
        return None
    return matches[0].date


def _is_credit(line: str) -> bool:
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
def _is_prose(line: str) -> bool:
    """Does ``line`` hold running text (a sentence), not a label, headline or credit?"""
    n = len(line.split())
    if _SENTENCE_END.search(line):
        return n >= 3 and _lower_ratio(line) > 0
    inner_ends = len(re.findall(r"[a-z]{2,}[.!?][\"'”’)]*\s+[\"“A-Z]", line[:3000]))
    if n >= 40 and inner_ends >= 2:  # a paragraph of sentences, then a credit or a list of links
        return True
    if n >= 8 and inner_ends:  # a sentence, then a credit or fragment
        return _lower_ratio(line) >= 0.5
    return n >= 20 and _lower_ratio(line) >= 0.5


def _is_title_like(line: str) -> bool:
    """A headline shape: a few words, no full stop at the end, not a label."""
    n = len(line.split())
    if not 2 <= n <= 25 or line.endswith((":", ".", ",", ";")):
        return False
    return not _SENTENCE_END.search(line) or (line.endswith(("?", "!")) and n <= 20)


def _is_junk_line(line: str) -> bool:
    """A line without a sentence that is furniture wherever it stands: a label, prompt, menu or address."""
    words = line.split()
    if not words or _is_prose(line):
        return False
    if len(words) == 1 and not line[:1].islower():
        return True  # "Advertisement", "Share", "Reuters"
    if line.endswith(":") and len(words) <= 4:
        return True  # "Follow us:", "Read more:"
    if len(_NAV_SEPARATORS.findall(line + " ")) >= 2:
        return True  # "Home | World | Middle East"
    return _is_call_to_action(line) or _is_web_or_legal(line)


def _is_trailing_junk(line: str) -> bool:
    """After the article's last sentence: anything without a sentence, prompts, addresses, notices."""
    if not line or not _is_prose(line):
        return True
    n = len(line.split())
    return _is_call_to_action(line) or _is_web_or_legal(line) and n <= 40


# line kinds
_BLANK, _DATE, _CREDIT, _PROSE, _SHORT = "blank", "date", "credit", "prose", "short"


def _kind(line: str) -> str:
    if not line:
        return _BLANK
    if dateline_date(line) is not None:
        return _DATE
    if _is_credit(line):
        return _CREDIT
    return _PROSE if _is_prose(line) else _SHORT


# --------------------------------------------------------------------------- normalising

# Punctuation lost to a bad conversion, as in FA-KES ("Syria\ufffd_s", "\ufffd_chemical attack\ufffd_"):
# U+FFFD plus "_" or a second U+FFFD stood for one curly quote, apostrophe or dash.
_LOST_APOSTROPHE = re.compile(r"(?<=[A-Za-z])\ufffd[_\ufffd](?=s\b)")
_LOST_DASH = re.compile(r"(?<=\s)\ufffd[_\ufffd](?=\s)")
_LOST_QUOTE = re.compile(r"\ufffd[_\ufffd]")


_CONTROLS = {c: None for c in (*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F)}
"""Control characters, which no article text holds (and which ``str.strip`` takes for spaces)."""

PUNCTUATION_RUN = 32
"""The longest run of characters other than letters, digits and spaces that text keeps whole."""
PUNCTUATION_RUN_KEPT = 3
_PUNCTUATION_RUN = re.compile(rf"(?:[^\w\s]|_){{{PUNCTUATION_RUN + 1},}}")


def normalise(text: str) -> str:
    """Line endings to ``\\n``, no trailing or doubled spaces, no more than one blank line in a row.

    Punctuation that a bad conversion turned into U+FFFD pairs (as in FA-KES)
    is restored as a plain apostrophe, dash or quote. A run of more than
    ``PUNCTUATION_RUN`` characters that are neither letters, digits nor spaces
    (``****``, ``](](``, ``====``) is cut to its first ``PUNCTUATION_RUN_KEPT``:
    no article needs it, and spaCy's tokenizer takes time quadratic in its length.

    >>> normalise("Raqa\\r\\n\\r\\n\\r\\nSyria\\u00a0 said.  \\r")
    'Raqa\\n\\nSyria said.'
    >>> normalise("Rebels " + "*" * 8000 + " fled.")
    'Rebels *** fled.'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate({0xA0: " ", 0x2007: " ", 0x202F: " ", 0xFEFF: None, 0x200B: None, 0x200E: None,
                           0x200F: None, 0x09: " ", 0x0B: "\n", 0x0C: "\n", 0x2028: "\n", 0x2029: "\n",
                           0x85: "\n", **_CONTROLS})
    if "\ufffd" in text:
        text = _LOST_QUOTE.sub('"', _LOST_DASH.sub("–", _LOST_APOSTROPHE.sub("'", text)))
    text = _PUNCTUATION_RUN.sub(lambda m: m.group()[:PUNCTUATION_RUN_KEPT], text)
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def clean_title(title: str | None) -> str | None:
    """A headline without labels and site names ("title: ...", "... | Jordan Times").

    >>> clean_title("Dozens dead as car bomb hits Syria evacuees | Jordan Times")
    'Dozens dead as car bomb hits Syria evacuees'
    >>> clean_title("Syria raids kill 39 - monitor")
    'Syria raids kill 39 - monitor'
    """
    if title is None:
        return None
    title = normalise(title).replace("\n", " ")
    title = re.sub(r"^(?:title|headline)\s*:\s*", "", title, flags=re.I)
    m = re.match(r"^(.*\S)\s+[|–—-]\s+((?:[A-Z][\w.'’&-]*\s*){1,4})$", title)
    if m and len(m.group(1).split()) >= 3:
        title = m.group(1)
    title = title.strip(" |-–—")
    return title or None


# --------------------------------------------------------------------------- sentences in a paragraph

_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*(?:\s+(?=[-–—]*\s*[\"'“‘(\[]?[A-Z0-9])|(?=[-–—]+\s*[A-Z]))")
_RELATED = re.compile(
    r"(?:(?<=\s)|^)(?:related(?:\s+(?:news|stories|story|articles|posts|topics|content|coverage|links))?"
    r"|read\s+(?:also|more)|also\s+read|see\s+also|more\s+(?:on\s+this|stories|news)|you\s+may\s+also\s+like"
    r"|recommended(?:\s+stories)?|most\s+(?:read|popular))\b:?(?-i:(?=\s+[\"“‘A-Z0-9]|\s*$))", re.I)
_TRAILING_ELLIPSIS = re.compile(r"(?<=[.!?])\s*(?:\.{3}|…)\s*$|\s*[|•·–—-]\s*$")


def _sentences(paragraph: str, start: int = 0, stop: int | None = None) -> list[tuple[int, int]]:
    """The spans of the sentences in ``paragraph[:stop]``, from ``start`` (the start of one) on."""
    stop = len(paragraph) if stop is None else stop
    spans = []
    for m in _SENTENCE_BREAK.finditer(paragraph, start, stop):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, stop))
    return [(s, e) for s, e in spans if paragraph[s:e].strip()]


_BREAK_REACH = 256
"""More than a sentence break looks ahead of itself (in normalised text, runs of punctuation are short)."""


def _sentences_before(paragraph: str, spans: list[tuple[int, int]], stop: int) -> list[tuple[int, int]]:
    """``_sentences(paragraph[:stop])``, given ``spans`` of a longer prefix (changed in place): only its last
    part is split again."""
    while spans and spans[-1][0] > stop - _BREAK_REACH:
        spans.pop()
    start = spans.pop()[0] if spans else 0
    spans.extend(_sentences(paragraph, start, stop))
    return spans


_ATTRIBUTION = re.compile(r"\b(?:said|says|told|tells|reported|reports|according|quoted|cited|added)\b", re.I)


def _names_outlet(s: str, outlet: str | None) -> bool:
    """Does ``s`` name the outlet the article comes from, other than to attribute a report to it?"""
    if not outlet or _ATTRIBUTION.search(s):
        return False
    pattern = _loose_pattern(outlet)
    return bool(pattern and pattern.search(s))


@lru_cache(maxsize=256)
def _loose_pattern(name: str) -> re.Pattern[str] | None:
    """``name`` as it may be written: its letters and digits in order from a word start, anything else between."""
    key = [c.lower() for c in name if c.isalnum()]
    if len(key) < 3:
        return None
    return re.compile(r"(?<![^\W_])" + r"[\W_]*".join(map(re.escape, key)), re.I)


def _is_furniture_sentence(s: str, outlet: str | None = None) -> bool:
    """At the end of an article: is this sentence (or fragment) a sign-off, credit, prompt or note about the outlet?"""
    s = s.strip()
    n = len(s.split())
    if _is_call_to_action(s) or _is_web_or_legal(s) or _is_credit(s) or dateline_date(s) is not None:
        return True
    if _names_outlet(s, outlet):
        return True  # "Asharq Al-Awsat is the world's premier pan-Arab daily ..."
    ratio = _lower_ratio(s)
    if not _SENTENCE_END.search(s):
        return ratio < 0.5 or n <= 2 or bool(_GLUED.search(s)) or "|" in s
    if re.search(r"(?:\.{3}|…)$", s) and n <= 6:
        return True  # "Updated with detail throughout ..."
    return n >= 2 and ratio == 0.0  # "Reporting by A; Editing by B", "Copyright 2018 TRT World."


def _drop_trailing_credit(line: str) -> str:
    """A caption or paragraph without the credit it ends with ("... dead. EPA/STR")."""
    spans = _sentences(line)
    if len(spans) > 1 and _is_credit(line[spans[-1][0]:]):
        return line[:spans[-1][0]].rstrip()
    return line


# An embedded social-media post as pasted text: "... pic.twitter.com/x — Elijah J. Magnier (@EjmAlrai) February 5, 2015"
_POST_SIGNATURE = re.compile(rf"\(@?\w{{2,}}\)\s+{_MON}\s+\d{{1,2}},?\s+(?:19|20)\d\d\b", re.I)
_PICTURE_LINK = re.compile(r"\bpic\.twitter\.com\S*", re.I)


def _drop_embedded_posts(paragraph: str) -> str:
    """A paragraph without the social-media posts pasted into it, from the post's sentence to its signature.

    >>> _drop_embedded_posts("Rockets hit Damascus. Over 30 rockets so far pic.twitter.com/x1 Elijah Magnier "
    ...                      "(@EjmAlrai) February 5, 2015 The attack was revenge for air strikes.")
    'Rockets hit Damascus. The attack was revenge for air strikes.'
    """
    while (m := _POST_SIGNATURE.search(paragraph)) is not None:
        start = max((s for s, _ in _sentences(paragraph) if s <= m.start()), default=0)
        if start == 0:  # "BEIRUT (AFP) March 3, 2015 ...": a dateline, not a post
            break
        paragraph = paragraph[:start] + paragraph[m.end():].lstrip()
    return _PICTURE_LINK.sub("", paragraph)


def _pop_furniture_sentences(paragraph: str, outlet: str | None) -> str:
    """``paragraph`` less the furniture sentences it ends with (each cut, then the rest split again)."""
    spans, end = _sentences(paragraph), len(paragraph)
    while len(spans) > 1:
        start, stop = spans[-1]
        if not _is_furniture_sentence(paragraph[start:stop], outlet):
            break
        end = _end_before(paragraph, start)
        spans = _sentences_before(paragraph, spans, end)
    return paragraph[:end]


def _end_before(paragraph: str, start: int) -> int:
    """Where ``paragraph[:start]`` ends once trailing spaces, an ellipsis or a separator are off."""
    while start and paragraph[start - 1].isspace():
        start -= 1
    m = _TRAILING_ELLIPSIS.search(paragraph, max(0, start - _BREAK_REACH), start)
    if m:
        start = m.start()
    while start and paragraph[start - 1].isspace():
        start -= 1
    return start


def _is_strong_prose(s: str) -> bool:
    """A full sentence of running text (not a run of headlines or menu items)."""
    return (len(s.split()) >= 10 and bool(_SENTENCE_END.search(s)) and _lower_ratio(s) >= 0.5
            and not _GLUED.search(s) and not _NAV_SEPARATORS.search(s + " "))


def _trim_paragraph_end(paragraph: str, outlet: str | None = None) -> str:
    """Cut a trailing "Related ..." block, then sign-offs and credits, sentence by sentence.

    A "Related" block is cut only when no article text follows it (what
    remains after it, once its own furniture is off, has no full sentences).
    """
    for m in _RELATED.finditer(paragraph):
        if m.start() < len(paragraph) // 4:
            continue
        rest = _pop_furniture_sentences(paragraph[m.end():].strip(), outlet)
        if sum(1 for a, b in _sentences(rest) if _is_strong_prose(rest[a:b])) < 2:
            paragraph = paragraph[:m.start()].rstrip()
        break
    return _pop_furniture_sentences(paragraph, outlet)


_LEAD_LABEL = re.compile(r"^(?:(?:(?:first\s+)?published|posted|updated|last\s+updated?|date(?:\s+of\s+publication)?"
                         r"|publication\s+date|on|at)\b|[|:,-])\W*",
                         re.I)


def _leading_dateline(paragraph: str) -> tuple[int, dt.date | None]:
    """Where a dateline at the very start of a paragraph ends ("Wed 05 Apr 2017 ..."), and its date."""
    head = paragraph[:90]
    first = next(_iter_dates(head, None), None)
    if first is None or first.date is None or first.start > 45:
        return 0, None
    prefix = re.sub(_WEEKDAY, " ", head[:first.start], flags=re.I).strip()
    opener = re.match(r"\s*,\s*(\w?)", paragraph[first.end:])
    if opener and (prefix.lower().startswith("on") or (not prefix and opener.group(1).islower())):
        return 0, None  # "On 3 March 2019, regime forces captured ...": the event's date opens a sentence
    while prefix:
        m = _LEAD_LABEL.match(prefix)
        if not m or not m.group():
            return 0, None
        prefix = prefix[m.end():].strip()
    end = first.end
    m = re.match(r",?\s*" + _TIME.pattern, paragraph[end:], re.I)
    if m:
        end += m.end()
    m = re.match(r"\s*[|:–—-]?\s*", paragraph[end:])
    end += m.end() if m else 0
    return end, first.date


def _start_at_title(paragraph: str, title: str | None) -> int:
    """If the known headline appears near the start after a non-sentence prefix (date, byline), where it starts."""
    key = re.sub(r"[\W_]+", "", title or "").lower()
    if len(key) < 12:
        return 0
    index = [i for i, c in enumerate(paragraph[:300]) if c.isalnum()]
    pos = "".join(paragraph[i] for i in index).lower().find(key)
    if pos <= 0:
        return 0
    start = index[pos]
    if re.search(r"[.!?]\s", paragraph[:start]):
        return 0
    while start > 0 and paragraph[start - 1] in "\"'“‘(«":
        start -= 1
    return start


_SENTENCE_END_IN_TEXT = re.compile(r"[.!?…][\"'”’»)\]]*(?=\s)|(?=\n)")


def cut_at_sentence(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at the end of a sentence or line when one is in its second half.

    Else it is cut at a space, else exactly at ``limit``.

    >>> cut_at_sentence("Rebels took Mare. Troops shelled Homs on Monday.", 30)
    'Rebels took Mare.'
    >>> cut_at_sentence("a" * 10, 4)
    'aaaa'
    """
    if len(text) <= limit:
        return text
    head = text[:limit + 1]  # a sentence may end just at the limit
    end = max((m.end() for m in _SENTENCE_END_IN_TEXT.finditer(head) if m.end() <= limit), default=0)
    if end < limit // 2:
        end = max(head.rfind(" ", 0, limit + 1), head.rfind("\n", 0, limit + 1))
    if end < limit // 2:
        end = limit
    return text[:end].rstrip()


# --------------------------------------------------------------------------- whole texts


@dataclass(frozen=True)
class Cleaned:
    """An article's text with its furniture removed, and what the furniture told us."""

    text: str
    title: str | None = None  # the headline, when the text starts with one
    published: dt.date | None = None  # from a dateline


def _join_broken_lines(lines: list[str]) -> list[str]:
    """Join a paragraph cut in two by a stray line break ("... control of the" + "city.")."""
    out: list[str] = []
    for line in lines:
        if line and line[0].islower() and out:
            j = len(out) - 1
            while j >= 0 and not out[j]:
                j -= 1
            prev = out[j] if j >= 0 else ""
            if len(prev.split()) >= 12 and re.search(r"[a-z,]$", prev) and re.match(r"[a-z]+\b", line):
                del out[j + 1:]
                out[j] = f"{prev} {line}"
                continue
        out.append(line)
    return out


_NOT_NAMES = frozenset(
    "the this that these those but and its his her their our your there then what how why who when where while "
    "after before some more most many other another also yet all any each every one two three four five six "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december".split())


def _names(text: str) -> set[str]:
    """Capitalised words not at the start of a line or sentence: roughly, the names in ``text``."""
    found = set()
    for m in re.finditer(r"(?<![.!?:]\s)(?<!^)(?<=\s)[A-Z][\w'’-]{2,}", text, re.M):
        word = re.sub(r"['’]s$", "", m.group()).lower()
        if word not in _NOT_NAMES:
            found.add(word)
    return found


class _Page:
    """The lines of one text and what the rules for where an article ends ask of them, worked out once.

    Each rule looks at the lines after a line and at the names said before it; worked out afresh for every
    line, that made cleaning quadratic in the length of the text.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        names = [_names(line) for line in lines]
        first: dict[str, int] = {}  # name -> the first line that names it
        for i, found in enumerate(names):
            for name in found:
                first.setdefault(name, i)
        self.named_from = [min((first[name] for name in found), default=len(lines)) for found in names]
        self.title_like = [bool(line) and _is_title_like(line) for line in lines]
        self.titles = [i for i, line in enumerate(lines) if self.title_like[i] and not _is_credit(line)]
        self.filled, self.body = [0], [0]  # before each line: lines with text, and prose that is no headline
        for line, title_like in zip(lines, self.title_like):
            self.filled.append(self.filled[-1] + bool(line))
            self.body.append(self.body[-1] + (bool(line) and not title_like and _is_prose(line)))

    def mostly_unrelated(self, blocks: list[tuple[int, ...]], before: int) -> bool:
        """Do most of ``blocks`` (each some lines) name nothing that the lines before line ``before`` name?"""
        related = 0
        for block in blocks:
            related += min(self.named_from[i] for i in block) < before
            if related >= len(blocks) / 2:
                return False
        return True

    def is_junk_tail(self, start: int, before: int, stop: int | None = None) -> bool:
        """Are lines ``start`` to ``stop`` what follows an article (prompts, other stories' headlines)?

        Headlines that share names with the article (the lines before line ``before``) are its own
        subheads or questions, not other stories.
        """
        stop = len(self.lines) if stop is None else stop
        filled = self.filled[stop] - self.filled[start]
        if not filled or self.body[stop] == self.body[start]:
            return True
        titles = self.titles[bisect_left(self.titles, start):bisect_left(self.titles, stop)]
        return len(titles) / filled >= 0.4 and self.mostly_unrelated([(i,) for i in titles], before)

    def teaser_list_start(self, kinds: list[str], lo: int, stop: int) -> int | None:
        """Start of a list of other stories (headline + one-sentence teaser, 3 or more) running to ``stop``."""
        lines = self.lines
        idx = [i for i in range(lo, stop) if lines[i]]
        pairs = [0] * (len(idx) + 2)  # how many headline + teaser pairs follow one another from each line on
        for p in range(len(idx) - 2, -1, -1):
            title, teaser = idx[p], idx[p + 1]
            if (self.title_like[title] and kinds[teaser] == _PROSE and not self.title_like[teaser]
                    and len(lines[teaser].split()) <= 60 and len(_sentences(lines[teaser])) <= 2):
                pairs[p] = 1 + pairs[p + 2]
        for pos, i in enumerate(idx):
            if not self.title_like[i] or pairs[pos] < 3:
                continue
            p = pos + 2 * pairs[pos]
            if (self.mostly_unrelated([(idx[q], idx[q + 1]) for q in range(pos, p, 2)], i)
                    and (p >= len(idx) or self.is_junk_tail(idx[p], i, stop))):
                return i
        return None


def clean_text(text: str, *, title: str | None = None, source: str | None = None) -> Cleaned:
    """Remove page furniture from an article's text (see the module docstring for the rules).

    Args:
        text: the article as read (any line endings).
        title: the headline, if known from metadata; a date or byline before it
            at the start of a one-paragraph text is cut.
        source: the outlet, if known; closing sentences about it (not reports
            attributed to it) are cut.

    Returns:
        The cleaned text, the headline it starts with (if any) and the date of
        its first dateline (if any).

    >>> clean_text("Wed 05 Apr 2017 Gas attack kills 70 in Idlib. Victims showed signs of nerve agents. - REUTERS").text
    'Gas attack kills 70 in Idlib. Victims showed signs of nerve agents.'
    """
    lines = _join_broken_lines(normalise(text).split("\n"))
    kinds = [_kind(line) for line in lines]
    page = _Page(lines)
    body = next((i for i, k in enumerate(kinds) if k == _PROSE), None)
    if body is not None:  # deep inside the body, a short line with a date is a subhead, not a dateline
        opening = [i for i in range(body, len(lines)) if lines[i]][:4]
        for i in range(opening[-1] + 1, len(lines)):
            if kinds[i] == _DATE and not page.is_junk_tail(i + 1, i):
                kinds[i] = _SHORT
    if body is None:  # no sentence at all: keep what is not obviously furniture
        kept = [line for line, k in zip(lines, kinds) if k in (_SHORT, _BLANK) and not _is_junk_line(line)]
        return Cleaned(normalise("\n".join(kept)))

    # Where the article ends: a sign-off (dateline, credit, prompt) followed only by non-article text,
    # or a list of headlines with teasers.
    end = len(lines)
    for i in range(body + 1, len(lines)):
        if (kinds[i] in (_DATE, _CREDIT) or kinds[i] == _SHORT and _is_junk_line(lines[i])) \
                and page.is_junk_tail(i + 1, i):
            end = i
            break
    teasers = page.teaser_list_start(kinds, body + 1, end)
    if teasers is not None:
        end = teasers

    # The publication date: the first dateline in the article or in the sign-off lines right after it.
    published = next((dateline_date(lines[i]) for i in range(end) if kinds[i] == _DATE), None)
    if published is None:
        for i in range(end, len(lines)):
            if kinds[i] == _PROSE:
                break
            if kinds[i] == _DATE:
                published = dateline_date(lines[i])
                break

    kept: list[str] = []
    for i in range(end):
        line, kind = lines[i], kinds[i]
        if kind in (_DATE, _CREDIT) or kind != _BLANK and _is_junk_line(line):
            continue
        if i < body and kind == _SHORT and not _is_title_like(line):
            continue
        kept.append(_drop_embedded_posts(_drop_trailing_credit(line)) if kind == _PROSE else line)
    while kept and _is_trailing_junk(kept[-1]):
        kept.pop()
    if kept:
        kept[-1] = _trim_paragraph_end(kept[-1], source)

    headline = None
    first = next((i for i, line in enumerate(kept) if line), None)
    if first is not None:
        if _is_title_like(kept[first]) and any(_kind(line) == _PROSE for line in kept[first + 1:]):
            # the headline: the longest headline-like line before the first sentence
            head = [line for line in kept[:next(i for i, line in enumerate(kept) if _kind(line) == _PROSE)]
                    if _is_title_like(line)]
            if head:  # none when the first line is both headline-shaped and prose (20-25 words, no full stop)
                headline = _HEAD_PREFIX.sub("", max(head, key=lambda line: len(line.split()))).strip() or None
        elif _kind(kept[first]) == _PROSE:
            cut = _start_at_title(kept[first], title)
            lead_end, lead_date = _leading_dateline(kept[first])
            published = published or lead_date
            cut = cut or lead_end
            if cut and kept[first][cut:].strip():
                kept[first] = kept[first][cut:].lstrip()
    return Cleaned(normalise("\n".join(kept)), headline, published)
