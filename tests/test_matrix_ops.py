"""The models' matrix products through numpy's BLAS on one thread (kg.matrix_ops): the same analyses as BLIS's."""
from __future__ import annotations

import numpy
import pytest
import spacy
from threadpoolctl import threadpool_info

from kg.matrix_ops import NUMPY_BLAS, pipeline_models, use_numpy_blas
from kg.nlp import MODEL, load_pipeline


def _analyses(nlp: spacy.language.Language, texts: list[str]) -> list[list[tuple[str, ...]]]:
    return [[(t.tag_, t.pos_, str(t.morph), t.dep_, str(t.head.i), t.ent_iob_, t.ent_type_, t.lemma_) for t in doc]
            for doc in nlp.pipe(texts, batch_size=64)]


@pytest.mark.model
def test_the_models_analyse_real_text_through_numpy_as_through_blis(real_texts):
    blis, numpy_blas = spacy.load(MODEL), spacy.load(MODEL)
    assert {node.ops.use_blis for model in pipeline_models(blis) for node in model.walk()} == {True}
    assert use_numpy_blas(numpy_blas) > 100
    ours, theirs = _analyses(numpy_blas, real_texts), _analyses(blis, real_texts)
    assert len(ours) > 50 and sum(map(len, ours)) > 5000
    assert ours == theirs


@pytest.mark.model
def test_the_build_pipeline_multiplies_through_numpy_on_one_thread():
    nlp = load_pipeline()
    models = list(pipeline_models(nlp))
    assert len(models) >= 4  # tok2vec, tagger, parser, ner
    assert {node.ops is NUMPY_BLAS for model in models for node in model.walk()} == {True}
    assert {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"} == {1}
    x = numpy.arange(6, dtype="float32").reshape(2, 3)
    assert NUMPY_BLAS.gemm(x, x, trans2=True).tolist() == [[5.0, 14.0], [14.0, 50.0]]


def test_components_without_a_model_are_left_alone():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert use_numpy_blas(nlp) == 0
