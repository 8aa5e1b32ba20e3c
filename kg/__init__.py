"""conflict-kg: news about the war in Syria -> an RDF knowledge graph in Oxigraph.

>>> import kg
>>> kg.KnowledgeGraph.open().stats()["events"]
0
>>> kg.build.__module__
'kg.build'

``KnowledgeGraph`` (see ``kg.graph``) and ``build`` (see ``kg.build``) are
imported on first use, so ``import kg`` costs little. Only building needs
spaCy, which takes a second to import: reading, querying, exporting and
serving a graph never import it (``tests/test_imports.py``).
"""
from __future__ import annotations

import sys
import types
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("conflict-kg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

if TYPE_CHECKING:
    from kg.build import build
    from kg.graph import KnowledgeGraph

__all__ = ["KnowledgeGraph", "build", "__version__"]


class _Package(types.ModuleType):
    """The ``kg`` package, whose ``KnowledgeGraph`` and ``build`` are imported when first asked for.

    ``kg.build`` is both a submodule and, here, the function it defines. Python
    sets a package's attribute to a submodule when it first imports it; the
    setter below keeps ``kg.build`` the function (the module stays in
    ``sys.modules["kg.build"]``, where ``from kg.build import …`` finds it).
    """

    @property
    def KnowledgeGraph(self) -> Any:
        from kg.graph import KnowledgeGraph

        return KnowledgeGraph

    @property
    def build(self) -> Any:
        replaced = self.__dict__.get("_build")
        if replaced is not None:
            return replaced
        from kg.build import build

        return build

    @build.setter
    def build(self, value: Any) -> None:
        if not isinstance(value, types.ModuleType):  # a replacement (a test's monkeypatch): keep it
            self.__dict__["_build"] = value

    @build.deleter
    def build(self) -> None:
        self.__dict__.pop("_build", None)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), "KnowledgeGraph", "build"})


sys.modules[__name__].__class__ = _Package
