"""Text XML 1.0 can hold: the one cleaner the Gephi writers (``kg.exporting``) and the endpoint (``kg.serve``) share.

XML 1.0 allows tab, line feed, carriage return and the code points from U+0020
up, less the surrogates and U+FFFE/U+FFFF. Everything else is removed from what
the Gephi files say, and replaced by U+FFFD in what the endpoint sends (a
result keeps the place of a character it cannot show).

>>> xml_text("a\\x01b"), xml_text("a\\x01b", "\\ufffd"), clean_text(" bad\\x0b  name\\n")
('ab', 'a\\ufffdb', 'bad name')
"""
from __future__ import annotations

import re

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str, replacement: str = "") -> str:
    """``text`` with each character XML 1.0 cannot hold replaced by ``replacement`` (by default, removed)."""
    return _NOT_XML.sub(replacement, text)


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold, whitespace runs collapsed to one space.

    >>> clean_text("bad\\x01\\x0b name\\n ")
    'bad name'
    """
    return " ".join(xml_text(text).split())


def xml_bytes(data: bytes) -> bytes:
    """UTF-8 XML ``data`` with each character XML 1.0 forbids replaced by U+FFFD.

    >>> xml_bytes(b"<a>x\\x01y</a>")
    b'<a>x\\xef\\xbf\\xbdy</a>'
    """
    text = data.decode("utf-8")
    return xml_text(text, "\ufffd").encode("utf-8") if _NOT_XML.search(text) else data


__all__ = ["clean_text", "xml_bytes", "xml_text"]
