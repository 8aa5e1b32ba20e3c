"""The model's attribute_ruler matched by lookup (kg.tag_rules): the same matches and tags as spaCy's Matcher."""
from __future__ import annotations

import pytest
import spacy

from kg.nlp import MODEL, load_pipeline
from kg.tag_rules import ArrayAnnotations, IndexedRules, index_attribute_ruler


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
def test_the_pipeline_tags_as_it_does_with_the_rulers_own_matcher_and_setter(real_texts):
    texts = real_texts
    nlp = load_pipeline()
    ruler = nlp.get_pipe("attribute_ruler")
    indexed, annotations = ruler.match, ruler.set_annotations
    assert isinstance(indexed, IndexedRules) and isinstance(annotations, ArrayAnnotations)

    def tags():
        return [[(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc] for doc in nlp.pipe(texts)]

    ours = tags()
    del ruler.match, ruler.set_annotations  # spaCy's own AttributeRuler.match, with its Matcher, and its setter
    try:
        model = tags()
    finally:
        ruler.match, ruler.set_annotations = indexed, annotations
    assert ours == model
    assert any(pos == "DET" and morph for doc in ours for pos, morph, *_ in doc)  # the rules did set them


def test_a_later_rule_wins_and_a_target_outside_its_match_is_an_error():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "shells"}]], {"POS": "NOUN", "LEMMA": "shell"})
    ruler.add([[{"LOWER": "shells"}, {"LOWER": "hit"}]], {"POS": "VERB"})
    annotations = ArrayAnnotations(ruler)
    doc = nlp.make_doc("shells hit shells")
    annotations(doc, ruler.match(doc))
    assert [(t.pos_, t.lemma_) for t in doc] == [("VERB", "shell"), ("", ""), ("NOUN", "shell")]
    ruler.add([[{"LOWER": "hit"}]], {"POS": "VERB"}, index=1)  # the word after a one-word match: none
    with pytest.raises(ValueError, match="outside the match 'hit'"):
        annotations = ArrayAnnotations(ruler)
        annotations(doc, ruler.match(doc))


def test_a_pattern_that_cannot_be_indexed_leaves_the_ruler_as_it_was():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "the", "OP": "+"}]], {"POS": "DET"})
    match = ruler.match
    assert index_attribute_ruler(nlp) is False
    assert ruler.match == match


def test_a_pipeline_without_an_attribute_ruler_is_left_alone():
    assert index_attribute_ruler(spacy.blank("en")) is False


def test_a_ruler_setting_an_attribute_the_arrays_do_not_write_is_left_as_it_was():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "isis"}]], {"NORM": "islamic state"})  # a norm: spaCy sets it on the token only
    match, setter = ruler.match, ruler.set_annotations
    assert index_attribute_ruler(nlp) is False
    assert ruler.match == match and ruler.set_annotations == setter
