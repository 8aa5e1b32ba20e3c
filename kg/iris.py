"""Instance IRIs: the one place they are minted, and the refs (``kind/key``) that name them.

>>> mint_iri("place", "sy/raqqa").value
'https://w3id.org/conflict-kg/id/place/sy/raqqa'
>>> ref_of(ref_iri("actor/islamic-state").value)
'actor/islamic-state'
"""
from __future__ import annotations

import hashlib
from urllib.parse import quote, unquote

from pyoxigraph import NamedNode

from kg.vocab import ID_NS

IRI_KINDS = ("article", "actor", "person", "place", "event", "claim", "mention", "casualties", "override", "control")
"""What an instance IRI may name; the first part of every ref."""


def mint_iri(kind: str, key: str) -> NamedNode:
    """The IRI of an instance of ``kind`` with ``key``: stable, percent-encoded, never blank.

    >>> mint_iri("article", "000_e19785c479a03bb6").value
    'https://w3id.org/conflict-kg/id/article/000_e19785c479a03bb6'
    >>> mint_iri("article", "a b/ü").value
    'https://w3id.org/conflict-kg/id/article/a%20b%2F%C3%BC'
    """
    if kind not in IRI_KINDS:
        raise ValueError(f"unknown IRI kind {kind!r}; expected one of {', '.join(IRI_KINDS)}")
    safe = "-._~" if kind == "article" else "-._~/"
    return NamedNode(f"{ID_NS}{kind}/{quote(key, safe=safe)}")


def ref_iri(ref: str) -> NamedNode:
    """The IRI of the instance a ``kind/key`` ref names.

    >>> ref_iri("actor/islamic-state").value
    'https://w3id.org/conflict-kg/id/actor/islamic-state'
    """
    kind, _, key = ref.partition("/")
    return mint_iri(kind, key)


def ref_of(iri: str) -> str | None:
    """The ``kind/key`` ref of an instance IRI (the inverse of ``ref_iri``), or None for other IRIs.

    >>> ref_of("https://w3id.org/conflict-kg/id/place/sy/raqqa")
    'place/sy/raqqa'
    >>> ref_of("http://example.org/x") is None
    True
    """
    return unquote(iri[len(ID_NS):]) if iri.startswith(ID_NS) else None


def name_key(name: str) -> str:
    """The form a name is looked up by in any case: case-folded, its spaces made single.

    >>> name_key("  Islamic   STATE "), name_key("Straße")
    ('islamic state', 'strasse')
    """
    return " ".join(name.split()).casefold()


def content_hash(text: str) -> str:
    """SHA-256 of an article's text (and so of what the graph says about it).

    >>> content_hash("")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
