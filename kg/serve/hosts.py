"""Who may talk to the server: requests that name it in ``Host``, and no cross-site requests from web pages
unless ``--cors`` lets their origin in.

A web page the user visits can make the browser send requests to a server on 127.0.0.1: a form POST needs no
CORS preflight, and a DNS name the page's owner controls can be pointed at 127.0.0.1 once the page is loaded
(DNS rebinding), after which the page may read the answers too. So:

* ``Host`` must be one of the server's names: 127.0.0.1, localhost, [::1], the address it is bound to, and the
  names given with ``--allowed-host`` (``*``: any); any port. Otherwise 400. (A rebound name arrives as
  ``Host: attacker.example``.) An HTTP/1.1 request without ``Host`` is refused too, as HTTP/1.1 has it.
* A request with an ``Origin`` of another origin than the one it was sent to (``http://`` plus its ``Host``)
  is refused with 403 unless ``--cors`` names that origin (``*``: any). A request with a body (POST...) and no
  ``Origin`` is held to its ``Referer`` the same way. A GET from a link or a bookmark carries neither, or only
  a ``Referer``, and is answered.
* With ``--cors``, answers to an allowed origin carry ``Access-Control-Allow-Origin`` (that origin, or ``*``),
  and preflights (OPTIONS) the methods, headers and max age.

>>> gate = Gate.make("127.0.0.1", allowed_hosts=["kg.example.org"], cors=["https://app.example.org"])
>>> gate.refusal("POST", {"Host": "127.0.0.1:7878", "Origin": "http://127.0.0.1:7878"}) is None
True
>>> gate.refusal("GET", {"Host": "attacker.example:7878"}).status
400
>>> gate.refusal("POST", {"Host": "localhost:7878", "Origin": "https://attacker.example"}).status
403
>>> gate.refusal("POST", {"Host": "localhost:7878", "Origin": "https://app.example.org"}) is None
True
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

from kg.serve.messages import Reply, text_reply

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ANY = "*"
_UNSPECIFIED = {"", "0.0.0.0", "[::]"}


def host_name(value: str) -> str | None:
    """The name part of a ``Host`` value, normalised (lower case, no trailing dot, IPv6 in brackets,
    compressed), or None when it is no host name.

    >>> host_name("LocalHost.:7878"), host_name("[0:0::1]"), host_name("::1"), host_name("a b")
    ('localhost', '[::1]', None, None)
    """
    value = value.strip()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit() and rest[1:].isascii())):
            return None
        try:
            return f"[{ipaddress.IPv6Address(name).compressed}]"
        except ValueError:
            return None
    name, colon, port = value.partition(":")
    if colon and not (port.isdigit() and port.isascii()):
        return None
    name = name.rstrip(".").lower()
    if not name or not all(c.isalnum() and c.isascii() or c in "-._~" for c in name):
        return None
    return name


def _name_of_address(host: str) -> str:
    """The name a bound address answers to in ``Host``: an IPv6 address in brackets."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host.rstrip(".").lower()
    return f"[{address.compressed}]" if address.version == 6 else address.compressed


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL or an ``Origin`` value, normalised (lower case, no default port);
    None for ``null`` or anything without a scheme and a host.

    >>> origin_of("HTTP://LocalHost:80/page?q=1"), origin_of("null"), origin_of("https://[::1]:8443")
    ('http://localhost', None, 'https://[::1]:8443')
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    host = _name_of_address(parts.hostname)
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != default else "")


@dataclass(frozen=True)
class Gate:
    """The server's names and the origins ``--cors`` lets in (see the module docstring)."""

    names: frozenset[str]
    cors: tuple[str, ...] = ()

    @classmethod
    def make(cls, bound_host: str, *, allowed_hosts: Iterable[str] = (), cors: Iterable[str] = ()) -> Gate:
        """The gate of a server bound to ``bound_host``, also answering to ``allowed_hosts``."""
        names = set(LOOPBACK_NAMES)
        bound = _name_of_address(bound_host)
        if bound not in _UNSPECIFIED:
            names.add(bound)
        for name in allowed_hosts:
            names.add(ANY if name.strip() == ANY else host_name(name) or name.strip().lower())
        origins = tuple(ANY if o.strip() == ANY else origin_of(o) or o.strip() for o in cors)
        return cls(frozenset(names), origins)

    def cors_allows(self, origin: str | None) -> bool:
        """Whether ``--cors`` lets ``origin`` (normalised) in."""
        return ANY in self.cors or (origin is not None and origin in self.cors)

    def refusal(self, method: str, headers: Mapping[str, str] | Message, *,
                http11: bool = True) -> Reply | None:
        """The 400 or 403 to answer a request with, or None when it may be answered."""
        host = headers.get("Host")
        if host is None:
            if http11:
                return text_reply(400, "an HTTP/1.1 request needs a Host header")
            own = None
        else:
            name = host_name(host)
            if name is None:
                return text_reply(400, f"the Host header {host!r} is not a host name")
            if ANY not in self.names and name not in self.names:
                return text_reply(400, f"Host {host!r} is not a name of this server, which answers to "
                                       f"{', '.join(sorted(self.names))}; add one with kg serve --allowed-host NAME")
            own = origin_of("http://" + host.strip())
        origin = headers.get("Origin")
        header = "Origin"
        if origin is None and method not in SAFE_METHODS and headers.get("Referer"):
            origin, header = headers.get("Referer"), "Referer"
        if origin is None:
            return None
        theirs = origin_of(origin)
        if theirs is not None and theirs == own or self.cors_allows(theirs):
            return None
        shown = theirs or origin.strip()
        return text_reply(403, f"cross-site request refused: its {header} is {shown}, not this server "
                               f"({own or 'its own origin'}); to let pages from there query it, start it with "
                               f"kg serve --cors {shown}")

    def cors_headers(self, method: str, headers: Mapping[str, str] | Message) -> tuple[tuple[str, str], ...]:
        """The CORS headers of an answer: none unless ``--cors`` lets the request's origin in."""
        if not self.cors:
            return ()
        if ANY in self.cors:
            allowed: tuple[tuple[str, str], ...] = (("Access-Control-Allow-Origin", "*"),)
        else:
            origin = origin_of(headers.get("Origin") or "")
            if origin is None or origin not in self.cors:
                return (("Vary", "Origin"),)
            allowed = (("Access-Control-Allow-Origin", origin), ("Vary", "Origin"))
        if method == "OPTIONS":
            allowed += (("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"),
                        ("Access-Control-Allow-Headers", "Accept, Content-Type"), ("Access-Control-Max-Age", "86400"))
        return allowed


__all__ = ["ANY", "LOOPBACK_NAMES", "Gate", "host_name", "origin_of"]
