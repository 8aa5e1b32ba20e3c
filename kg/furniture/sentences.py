"""Sentences in a paragraph: finding them, and cutting the furniture a paragraph starts or ends with."""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from kg.furniture.dates import MONTH_NAME, TIME, WEEKDAY, iter_dates
from kg.furniture.lines import (GLUED, NAV_SEPARATORS, SENTENCE_END, dateline_date, is_call_to_action, is_credit,
                                is_web_or_legal, lower_ratio)

_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*(?:\s+(?=[-–—]*\s*[\"'“‘(\[]?[A-Z0-9])|(?=[-–—]+\s*[A-Z]))")
_RELATED = re.compile(
    r"(?:(?<=\s)|^)(?:related(?:\s+(?:news|stories|story|articles|posts|topics|content|coverage|links))?"
    r"|read\s+(?:also|more)|also\s+read|see\s+also|more\s+(?:on\s+this|stories|news)|you\s+may\s+also\s+like"
    r"|recommended(?:\s+stories)?|most\s+(?:read|popular))\b:?(?-i:(?=\s+[\"“‘A-Z0-9]|\s*$))", re.I)
_TRAILING_ELLIPSIS = re.compile(r"(?<=[.!?])\s*(?:\.{3}|…)\s*$|\s*[|•·–—-]\s*$")


def sentence_spans(paragraph: str, start: int = 0, stop: int | None = None) -> list[tuple[int, int]]:
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


def sentence_spans_before(paragraph: str, spans: list[tuple[int, int]], stop: int) -> list[tuple[int, int]]:
    """``sentence_spans(paragraph[:stop])``, given ``spans`` of a longer prefix (changed in place): only its last
    part is split again."""
    while spans and spans[-1][0] > stop - _BREAK_REACH:
        spans.pop()
    start = spans.pop()[0] if spans else 0
    spans.extend(sentence_spans(paragraph, start, stop))
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
    if is_call_to_action(s) or is_web_or_legal(s) or is_credit(s) or dateline_date(s) is not None:
        return True
    if _names_outlet(s, outlet):
        return True  # "Asharq Al-Awsat is the world's premier pan-Arab daily ..."
    ratio = lower_ratio(s)
    if not SENTENCE_END.search(s):
        return ratio < 0.5 or n <= 2 or bool(GLUED.search(s)) or "|" in s
    if re.search(r"(?:\.{3}|…)$", s) and n <= 6:
        return True  # "Updated with detail throughout ..."
    return n >= 2 and ratio == 0.0  # "Reporting by A; Editing by B", "Copyright 2018 TRT World."


def drop_trailing_credit(line: str) -> str:
    """A caption or paragraph without the credit it ends with ("... dead. EPA/STR")."""
    spans = sentence_spans(line)
    if len(spans) > 1 and is_credit(line[spans[-1][0]:]):
        return line[:spans[-1][0]].rstrip()
    return line


# An embedded social-media post as pasted text: "... pic.twitter.com/x — Elijah J. Magnier (@EjmAlrai) February 5, 2015"
_POST_SIGNATURE = re.compile(rf"\(@?\w{{2,}}\)\s+{MONTH_NAME}\s+\d{{1,2}},?\s+(?:19|20)\d\d\b", re.I)
_PICTURE_LINK = re.compile(r"\bpic\.twitter\.com\S*", re.I)


def drop_embedded_posts(paragraph: str) -> str:
    """A paragraph without the social-media posts pasted into it, from the post's sentence to its signature.

    >>> drop_embedded_posts("Rockets hit Damascus. Over 30 rockets so far pic.twitter.com/x1 Elijah Magnier "
    ...                      "(@EjmAlrai) February 5, 2015 The attack was revenge for air strikes.")
    'Rockets hit Damascus. The attack was revenge for air strikes.'
    """
    while (m := _POST_SIGNATURE.search(paragraph)) is not None:
        start = max((s for s, _ in sentence_spans(paragraph) if s <= m.start()), default=0)
        if start == 0:  # "BEIRUT (AFP) March 3, 2015 ...": a dateline, not a post
            break
        paragraph = paragraph[:start] + paragraph[m.end():].lstrip()
    return _PICTURE_LINK.sub("", paragraph)


def _pop_furniture_sentences(paragraph: str, outlet: str | None) -> str:
    """``paragraph`` less the furniture sentences it ends with (each cut, then the rest split again)."""
    spans, end = sentence_spans(paragraph), len(paragraph)
    while len(spans) > 1:
        start, stop = spans[-1]
        if not _is_furniture_sentence(paragraph[start:stop], outlet):
            break
        end = _end_before(paragraph, start)
        spans = sentence_spans_before(paragraph, spans, end)
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
    return (len(s.split()) >= 10 and bool(SENTENCE_END.search(s)) and lower_ratio(s) >= 0.5
            and not GLUED.search(s) and not NAV_SEPARATORS.search(s + " "))


def trim_paragraph_end(paragraph: str, outlet: str | None = None) -> str:
    """Cut a trailing "Related ..." block, then sign-offs and credits, sentence by sentence.

    A "Related" block is cut only when no article text follows it (what
    remains after it, once its own furniture is off, has no full sentences).
    """
    for m in _RELATED.finditer(paragraph):
        if m.start() < len(paragraph) // 4:
            continue
        rest = _pop_furniture_sentences(paragraph[m.end():].strip(), outlet)
        if sum(1 for a, b in sentence_spans(rest) if _is_strong_prose(rest[a:b])) < 2:
            paragraph = paragraph[:m.start()].rstrip()
        break
    return _pop_furniture_sentences(paragraph, outlet)


_LEAD_LABEL = re.compile(r"^(?:(?:(?:first\s+)?published|posted|updated|last\s+updated?|date(?:\s+of\s+publication)?"
                         r"|publication\s+date|on|at)\b|[|:,-])\W*",
                         re.I)


def leading_dateline(paragraph: str) -> tuple[int, dt.date | None]:
    """Where a dateline at the very start of a paragraph ends ("Wed 05 Apr 2017 ..."), and its date."""
    head = paragraph[:90]
    first = next(iter_dates(head, None), None)
    if first is None or first.date is None or first.start > 45:
        return 0, None
    prefix = re.sub(WEEKDAY, " ", head[:first.start], flags=re.I).strip()
    opener = re.match(r"\s*,\s*(\w?)", paragraph[first.end:])
    if opener and (prefix.lower().startswith("on") or (not prefix and opener.group(1).islower())):
        return 0, None  # "On 3 March 2019, regime forces captured ...": the event's date opens a sentence
    while prefix:
        m = _LEAD_LABEL.match(prefix)
        if not m or not m.group():
            return 0, None
        prefix = prefix[m.end():].strip()
    end = first.end
    m = re.match(r",?\s*" + TIME.pattern, paragraph[end:], re.I)
    if m:
        end += m.end()
    m = re.match(r"\s*[|:–—-]?\s*", paragraph[end:])
    end += m.end() if m else 0
    return end, first.date


def start_at_title(paragraph: str, title: str | None) -> int:
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
