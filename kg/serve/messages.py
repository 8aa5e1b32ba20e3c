"""What the endpoint's layers hand each other: a request, a reply, a refusal.

>>> text_reply(404, "not found: /nope").body
b'not found: /nope\\n'
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message

from kg.errors import QueryError


class RequestError(QueryError):
    """A request the endpoint refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Request:
    """What the endpoint needs of an HTTP request."""

    method: str
    path: str
    params: dict[str, list[str]]
    headers: Mapping[str, str] | Message
    body: bytes = b""
    host: str = "127.0.0.1"
    client: str = ""
    """The client's address (the worker pool caps slow queries per address)."""


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, content type, body and extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def text_reply(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    """A plain-text answer, usually an error."""
    return Reply(status, "text/plain; charset=utf-8", (message + "\n").encode(), headers)


def one_line(message: object, limit: int = 600) -> str:
    """``message`` on one line, cut at ``limit`` characters.

    >>> one_line("error at 1:5:\\n  expected  '}'")
    "error at 1:5: expected '}'"
    """
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


__all__ = ["Reply", "Request", "RequestError", "one_line", "text_reply"]
