"""Whole texts: where the article starts and ends among its lines, and :func:`clean_text`."""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass

from kg.furniture.lines import (BLANK, CREDIT, DATE, HEAD_PREFIX, PROSE, SHORT, dateline_date, is_credit, is_junk_line,
                                is_prose, is_title_like, is_trailing_junk, line_kind)
from kg.furniture.sentences import (drop_embedded_posts, drop_trailing_credit, leading_dateline, sentence_spans,
                                    start_at_title, trim_paragraph_end)
from kg.furniture.text import normalise


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


_CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<!^)(?<=\s)[A-Z][\w'’-]{2,}", re.M)


def _names(text: str) -> set[str]:
    """Capitalised words not at the start of a line or sentence: roughly, the names in ``text``."""
    words = {w[:-2] if w.endswith(("'s", "’s")) else w for w in _CAPITALISED.findall(text)}
    return {w.lower() for w in words} - _NOT_NAMES


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
        self.title_like = [bool(line) and is_title_like(line) for line in lines]
        self.titles = [i for i, line in enumerate(lines) if self.title_like[i] and not is_credit(line)]
        self.filled, self.body = [0], [0]  # before each line: lines with text, and prose that is no headline
        for line, title_like in zip(lines, self.title_like):
            self.filled.append(self.filled[-1] + bool(line))
            self.body.append(self.body[-1] + (bool(line) and not title_like and is_prose(line)))

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
            if (self.title_like[title] and kinds[teaser] == PROSE and not self.title_like[teaser]
                    and len(lines[teaser].split()) <= 60 and len(sentence_spans(lines[teaser])) <= 2):
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
    kinds = [line_kind(line) for line in lines]
    page = _Page(lines)
    body = next((i for i, k in enumerate(kinds) if k == PROSE), None)
    if body is not None:  # deep inside the body, a short line with a date is a subhead, not a dateline
        opening = [i for i in range(body, len(lines)) if lines[i]][:4]
        for i in range(opening[-1] + 1, len(lines)):
            if kinds[i] == DATE and not page.is_junk_tail(i + 1, i):
                kinds[i] = SHORT
    if body is None:  # no sentence at all: keep what is not obviously furniture
        kept = [line for line, k in zip(lines, kinds) if k in (SHORT, BLANK) and not is_junk_line(line)]
        return Cleaned(normalise("\n".join(kept)))

    # Where the article ends: a sign-off (dateline, credit, prompt) followed only by non-article text,
    # or a list of headlines with teasers.
    end = len(lines)
    for i in range(body + 1, len(lines)):
        if (kinds[i] in (DATE, CREDIT) or kinds[i] == SHORT and is_junk_line(lines[i])) \
                and page.is_junk_tail(i + 1, i):
            end = i
            break
    teasers = page.teaser_list_start(kinds, body + 1, end)
    if teasers is not None:
        end = teasers

    # The publication date: the first dateline in the article or in the sign-off lines right after it.
    published = next((dateline_date(lines[i]) for i in range(end) if kinds[i] == DATE), None)
    if published is None:
        for i in range(end, len(lines)):
            if kinds[i] == PROSE:
                break
            if kinds[i] == DATE:
                published = dateline_date(lines[i])
                break

    kept = []
    for i in range(end):
        line, kind = lines[i], kinds[i]
        if kind in (DATE, CREDIT) or kind != BLANK and is_junk_line(line):
            continue
        if i < body and kind == SHORT and not is_title_like(line):
            continue
        kept.append(drop_embedded_posts(drop_trailing_credit(line)) if kind == PROSE else line)
    while kept and is_trailing_junk(kept[-1]):
        kept.pop()
    if kept:
        kept[-1] = trim_paragraph_end(kept[-1], source)

    headline = None
    first = next((i for i, line in enumerate(kept) if line), None)
    if first is not None:
        if is_title_like(kept[first]) and any(line_kind(line) == PROSE for line in kept[first + 1:]):
            # the headline: the longest headline-like line before the first sentence
            head = [line for line in kept[:next(i for i, line in enumerate(kept) if line_kind(line) == PROSE)]
                    if is_title_like(line)]
            if head:  # none when the first line is both headline-shaped and prose (20-25 words, no full stop)
                headline = HEAD_PREFIX.sub("", max(head, key=lambda line: len(line.split()))).strip() or None
        elif line_kind(kept[first]) == PROSE:
            cut = start_at_title(kept[first], title)
            lead_end, lead_date = leading_dateline(kept[first])
            published = published or lead_date
            cut = cut or lead_end
            if cut and kept[first][cut:].strip():
                kept[first] = kept[first][cut:].lstrip()
    return Cleaned(normalise("\n".join(kept)), headline, published)
