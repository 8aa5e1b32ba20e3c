"""The models' matrix products through numpy's BLAS, on one thread a process.

thinc runs a CPU model's matrix products (``Ops.gemm``: every layer of the
two tok2vec networks, the parser's and NER's feature layer) through BLIS.
BLIS picks a kernel for the processor it finds and, where it has none, falls
back to its generic C one: on this project's machines (AMD EPYC, AVX and FMA
but no AVX2) it says ``libblis: selecting sub-configuration 'generic'`` (set
``BLIS_ARCH_DEBUG=1`` to see its choice) and multiplies a 30,000 x 288
matrix by a 288 x 288 one (the tok2vec layers' shapes) 2.8 times slower than
the OpenBLAS numpy ships with, which picks its kernel at run time too (here
``SkylakeX``, as ``threadpoolctl.threadpool_info()`` says). Measured on
FA-KES (792 articles): the build's parse 39.4 s with BLIS, 28.9 s through
numpy, and not one of the 260,777 tokens' tags, parts of speech, heads,
dependencies, lemmas or entities different.

:func:`use_numpy_blas` moves every layer of a pipeline's models onto thinc's
``NumpyOps(use_blis=False)``, whose ``gemm`` is ``numpy.dot``, and limits
numpy's BLAS to one thread: conflict-kg's parallelism is its processes (one a
core, ``kg build --processes N``), and a BLAS thread pool in each would
oversubscribe the cores. The transition loop of the parser and NER is
compiled against BLIS (thinc's ``CBlas``) and stays on it.
"""
from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language
from thinc.api import Model, NumpyOps
from threadpoolctl import threadpool_limits

NUMPY_BLAS = NumpyOps(use_blis=False)
"""thinc's CPU operations with ``gemm`` delegated to numpy (its bundled OpenBLAS) instead of BLIS."""


def use_numpy_blas(nlp: Language) -> int:
    """Run the matrix products of every model in ``nlp`` through numpy's BLAS on one thread; the number of
    layers moved.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> tagger = nlp.add_pipe("tagger")
    >>> use_numpy_blas(nlp) > 0, {node.ops is NUMPY_BLAS for node in tagger.model.walk()}
    (True, {True})
    """
    threadpool_limits(limits=1, user_api="blas")
    moved = 0
    for model in pipeline_models(nlp):
        for node in model.walk():
            node.ops = NUMPY_BLAS
            moved += 1
    return moved


def pipeline_models(nlp: Language) -> Iterator[Model]:
    """The thinc models of the components of ``nlp``, disabled ones too (a rule lemmatizer has none).

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("sentencizer"), nlp.add_pipe("tagger")
    >>> [model.name.endswith("with_array(softmax)") for model in pipeline_models(nlp)]
    [True]
    """
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            yield model
