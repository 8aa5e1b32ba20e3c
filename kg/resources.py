"""The files the package ships besides its code, found in one place: ontology, shapes, queries, data, web page.

``ontology/`` and ``queries/`` stay at the top of the repository, where people
read and edit them; the build maps them onto the subpackages ``kg._ontology``
and ``kg._queries`` (``pyproject.toml``), and ``kg/data/`` and ``kg/static/``
are package data. So a wheel, an sdist and an editable install find every file
the same way, with :func:`importlib.resources.files`; a file that is not there
is a :class:`~kg.errors.ResourceError`, never a silent empty result.

>>> resource("ontology", "ckg.ttl").name
'ckg.ttl'
>>> (resource_dir("queries") / "events.rq").is_file()
True
"""
from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Any

from kg.errors import ResourceError

LOCATIONS = {
    "ontology": ("kg._ontology", ""),  # ontology/ckg.ttl, ontology/shapes.ttl
    "queries": ("kg._queries", ""),  # queries/*.rq
    "data": ("kg", "data"),  # kg/data/: lexicons, gazetteer, resolution rules
    "static": ("kg", "static"),  # kg/static/: the query page of `kg serve`
}
"""Each kind of resource -> (the package that holds it, the folder inside that package)."""


def resource_dir(kind: str) -> Path:
    """The folder of one kind of resource (a key of :data:`LOCATIONS`).

    Raises:
        ResourceError: the folder is not installed (or not on the file system).
    """
    package, folder = LOCATIONS[kind]
    try:
        root = files(package)
    except ModuleNotFoundError:
        raise ResourceError(f"the {kind} files are not installed with conflict-kg (no package {package}); "
                            "reinstall the package") from None
    path = root.joinpath(folder) if folder else root
    if not isinstance(path, Path) or not path.is_dir():
        raise ResourceError(f"{path}: the {kind} files are not installed with conflict-kg as a folder; "
                            "reinstall the package")
    return path


def resource(kind: str, name: str) -> Path:
    """The file ``name`` among the resources of ``kind``.

    Raises:
        ResourceError: it is not installed.
    """
    path = resource_dir(kind) / name
    if not path.is_file():
        raise ResourceError(f"{path}: not installed with conflict-kg (the {kind} files); reinstall the package")
    return path


def read_toml(path: Path) -> dict[str, Any]:
    """The table of the TOML file ``path``.

    Raises:
        ResourceError: it cannot be read or is not valid TOML (the message names the file and the line).
    """
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as err:
        raise ResourceError(f"{path}: cannot read: {err.strerror or err}") from None
    except tomllib.TOMLDecodeError as err:
        raise ResourceError(f"{path}: not valid TOML: {err}") from None


def layout_error(where: Path | str, err: Exception) -> ResourceError:
    """The error for data read from ``where`` that lacks a table or key (``err`` a KeyError) or holds the wrong kind.

    >>> str(layout_error("kg/data/words.toml", KeyError("places")))
    "kg/data/words.toml: not laid out as expected: missing key 'places'"
    """
    detail = f"missing key {err}" if isinstance(err, KeyError) else str(err)
    return ResourceError(f"{where}: not laid out as expected: {detail}")


__all__ = ["LOCATIONS", "layout_error", "read_toml", "resource", "resource_dir"]
