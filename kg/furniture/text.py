"""Whole strings: normalising spaces and lost punctuation, cleaning a headline, cutting at a sentence."""
from __future__ import annotations

import re

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
