"""spaCy's rule lemmatizer, read from the lemmas it has given: the same lemmas, a fraction of the time.

The English model's ``lemmatizer`` gives each token the lemma its rules give
the word with that part of speech and morphology. spaCy caches the rules'
answer by those three, but still builds a Python ``Token`` and reads its
morphology for every token of every article: on FA-KES about 5 ms an
article, as long as the attribute ruler. :class:`CachedLemmas` reads the
three from the Doc's arrays instead, looks the lemma up in its own table,
asks the lemmatizer only for combinations it has not seen, and writes all
lemmas back at once. A token that already has a lemma (the attribute ruler
sets a few) keeps it, as the lemmatizer would. For a word it has not seen,
the lemmatizer tests each form its rules make for membership of a list of
the known words of that part of speech (57,528 nouns: 135 us a word, and
FA-KES has about 13,000 such words); :func:`cache_lemmatizer` makes those
lists sets, which give the same answers (14 us a word).
"""
from __future__ import annotations

from collections.abc import Callable

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Token

Key = tuple[int, int, int]  # a token's word, part of speech and morphology (their hashes)


class CachedLemmas:
    """The lemmas a rule lemmatizer gives, by word, part of speech and morphology.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> lemmas = CachedLemmas(lambda token: [token.lower_.rstrip("s")])
    >>> doc = Doc(nlp.vocab, words=["Strikes", "hit", "towns"], pos=["NOUN", "VERB", "NOUN"])
    >>> [t.lemma_ for t in lemmas(doc)], len(lemmas.known)
    (['strike', 'hit', 'town'], 3)
    """

    def __init__(self, lemmatize: Callable[[Token], list[str]]) -> None:
        self.lemmatize = lemmatize  # token -> its lemmas, best first (Lemmatizer.rule_lemmatize)
        self.known: dict[Key, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3:].copy()  # one column, as from_array wants it
        strings = doc.vocab.strings
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma:
                continue  # set before (by the attribute ruler): kept, as the lemmatizer keeps it
            key = (orth, pos, morph)
            value = self.known.get(key)
            if value is None:
                value = self.known[key] = strings.add(self.lemmatize(doc[i])[0])
            lemmas[i, 0] = value
        doc.from_array([LEMMA], lemmas)  # type: ignore[arg-type]  # a uint64 array, which mypy reads as no Ints2d
        return doc


@Language.factory("cached_lemmas")
def make_cached_lemmas(nlp: Language, name: str) -> CachedLemmas:
    """The component that gives the lemmas of the pipeline's (disabled) rule lemmatizer."""
    lemmatizer = nlp.get_pipe("lemmatizer")
    return CachedLemmas(lemmatizer.rule_lemmatize)  # type: ignore[attr-defined]


def cache_lemmatizer(nlp: Language) -> bool:
    """Give the pipeline's lemmas by :class:`CachedLemmas`: its rule lemmatizer is disabled and asked only for
    words it has not lemmatised; False (and the pipeline untouched) when it has no rule lemmatizer."""
    if "lemmatizer" not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe("lemmatizer")
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule" or lemmatizer.overwrite:
        return False
    index = lemmatizer.lookups.get_table("lemma_index", None)
    for pos, words in (index or {}).items():
        index[pos] = frozenset(words)  # rule_lemmatize asks only `form in index`: the same answer, by hash
    nlp.add_pipe("cached_lemmas", after="lemmatizer")
    nlp.disable_pipe("lemmatizer")
    return True


__all__ = ["CachedLemmas", "cache_lemmatizer"]
