"""The model's attribute_ruler matched by lookup (kg.tag_rules): the same matches and tags as spaCy's Matcher."""
from __future__ import annotations

import pytest
import spacy

from kg.nlp import MODEL, load_pipeline
from kg.tag_rules import IndexedRules, index_attribute_ruler


@pytest.mark.model
def test_the_indexed_rules_find_what_the_matcher_finds_on_real_text(real_texts):
    nlp = spacy.load(MODEL)
    ruler = nlp.get_pipe("attribute_ruler")
    rules = IndexedRules(ruler)
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(nlp.pipe(real_texts))
    assert len(docs) > 50
    assert all(rules(doc) == ruler.match(doc) for doc in docs)
    assert sum(len(rules(doc)) for doc in docs) > 1000  # the rules do match: every token gets its part of speech


@pytest.mark.model
def test_the_pipeline_tags_as_it_does_with_the_rulers_own_matcher(real_texts):
    texts = real_texts
    nlp = load_pipeline()
    ruler = nlp.get_pipe("attribute_ruler")
    indexed = ruler.match
    assert isinstance(indexed, IndexedRules)
    ours = [[(t.pos_, str(t.morph), t.lemma_, t.tag_) for t in doc] for doc in nlp.pipe(texts)]
    del ruler.match  # spaCy's own AttributeRuler.match, with its Matcher
    try:
        model = [[(t.pos_, str(t.morph), t.lemma_, t.tag_) for t in doc] for doc in nlp.pipe(texts)]
    finally:
        ruler.match = indexed
    assert ours == model


def test_a_pattern_that_cannot_be_indexed_leaves_the_ruler_as_it_was():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "the", "OP": "+"}]], {"POS": "DET"})
    match = ruler.match
    assert index_attribute_ruler(nlp) is False
    assert ruler.match == match


def test_a_pipeline_without_an_attribute_ruler_is_left_alone():
    assert index_attribute_ruler(spacy.blank("en")) is False
