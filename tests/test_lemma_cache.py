"""The model's lemmas looked up by word, part of speech and morphology (kg.lemma_cache): the same as spaCy's."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kg.lemma_cache import CachedLemmas, cache_lemmatizer
from kg.nlp import MODEL, load_pipeline


@pytest.mark.model
def test_the_cached_lemmas_are_the_lemmatizers_on_real_text(real_texts):
    plain, cached = spacy.load(MODEL), spacy.load(MODEL)
    assert cache_lemmatizer(cached)
    assert "cached_lemmas" in cached.pipe_names and "lemmatizer" in cached.disabled
    theirs = [[t.lemma_ for t in doc] for doc in plain.pipe(real_texts)]
    ours = [[t.lemma_ for t in doc] for doc in cached.pipe(real_texts)]
    assert len(ours) > 50 and sum(map(len, ours)) > 5000
    assert ours == theirs


@pytest.mark.model
def test_the_build_pipeline_gives_its_lemmas_from_the_cache():
    nlp = load_pipeline()
    assert "cached_lemmas" in nlp.pipe_names and "lemmatizer" in nlp.disabled
    assert [t.lemma_ for t in nlp("Rebels were shelling the towns.")] == ["rebel", "be", "shell", "the", "town", "."]


def test_a_lemma_set_before_is_kept_and_each_word_is_lemmatised_once():
    asked: list[str] = []

    def lemmatize(token):
        asked.append(token.text)
        return [token.lower_.rstrip("s")]

    lemmas = CachedLemmas(lemmatize)
    vocab = spacy.blank("en").vocab
    doc = Doc(vocab, words=["Strikes", "hit", "strikes", "Strikes"], pos=["NOUN", "VERB", "NOUN", "NOUN"],
              lemmas=["", "strike-set-before", "", ""])
    assert [t.lemma_ for t in lemmas(doc)] == ["strike", "strike-set-before", "strike", "strike"]
    assert asked == ["Strikes", "strikes"]  # the fourth word is the first one again: looked up
    assert cache_lemmatizer(spacy.blank("en")) is False  # no lemmatizer: the pipeline is left as it is
