"""Reading a spaCy parse: clauses, noun phrases, subjects, speakers and the dates of a sentence.

Small functions over tokens that the extractor asks "whose clause is this
in?", "who is the subject of this verb, or of the verb it depends on?",
"which date expressions does this sentence have?".
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from kg.datevalue import MONTH_NAMES
from kg.extraction.figures import parse_number
from kg.nlp import doc_text, kept_with

FIGHT_VERBS = {"fight", "battle", "attack", "combat", "uproot", "expel", "oust", "drive", "target", "besiege"}
LINKING_VERBS = {"come", "coincide"}
"""Verbs that tie an event to another ("the bombardment came as talks opened in Astana"): the rest is the other's."""
SPEECH_VERBS = {"say", "report", "tell", "announce", "state", "add", "claim", "confirm", "document", "estimate"}
MONTHS = "|".join(name.capitalize() for name in MONTH_NAMES)
DATE_WORDS = re.compile(r"\b(?:(?:last|this|early|late|mid-?|on)\s+)?(?:(?:" + MONTHS + r")(?:\s+\d{1,2})?(?:,?\s+\d{4})?"
                         r"|\d{1,2}\s+(?:" + MONTHS + r")(?:\s+\d{4})?|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
                         r"|yesterday|today|tonight)\b", re.I)
DURATION_WORDS = {"years", "months", "weeks", "days", "hours", "decades", "year-old", "minutes"}


def text_of(span: Span) -> str:
    """``span.text``, sliced from its doc's kept text (:func:`kg.nlp.doc_text`) rather than joined from a
    Token object of each of its words.

    >>> import spacy
    >>> doc = spacy.blank("en")("Shells hit Aleppo.  Six died.")
    >>> text_of(doc[5:8]), all(text_of(doc[a:b]) == doc[a:b].text for a in range(9) for b in range(a, 9))
    ('Six died.', True)
    """
    return doc_text(span.doc)[span.start_char:span.end_char]


def doc_tokens(doc: Doc) -> tuple[Token, ...]:
    """The doc's tokens, made once and kept: a walk over every token of a doc makes a Token object of each
    (most of what such a walk costs), and extraction walks each doc several times.

    >>> import spacy
    >>> doc = spacy.blank("en")("Shells hit Aleppo.")
    >>> [t.text for t in doc_tokens(doc)], doc_tokens(doc) is doc_tokens(doc)
    (['Shells', 'hit', 'Aleppo', '.'], True)
    """
    return kept_with(doc, "kg_tokens", tuple)


def lower_words(doc: Doc) -> tuple[str, ...]:
    """The lower-case form of each of the doc's tokens, made once and kept.

    >>> import spacy
    >>> lower_words(spacy.blank("en")("Shells hit Aleppo."))
    ('shells', 'hit', 'aleppo', '.')
    """
    return kept_with(doc, "kg_lower", lambda doc: tuple(t.lower_ for t in doc_tokens(doc)))


def noun_core(token: Token) -> list[Token]:
    """A noun phrase's own words: no clauses hanging from it, no prepositional phrases but "of" ones."""
    out = [token]
    for child in token.children:
        if child.dep_ in {"relcl", "acl", "advcl", "appos", "punct"}:
            continue
        if child.dep_ == "prep" and child.lower_ != "of":
            continue
        out.extend(noun_core(child))
    return sorted(out, key=lambda t: t.i)


def clause(token: Token) -> Token:
    """The verb heading the clause a token is in (the sentence root at the latest)."""
    while token.pos_ not in {"VERB", "AUX"} and token.head.i != token.i:
        token = token.head
    return token


def date_spans(sent: Span) -> list[Span]:
    """DATE and TIME entities of a sentence, and date words NER missed ("last May" read as a title)."""
    cached = sent.doc.user_data.get(("kg_date_spans", sent.start))
    if cached is None:
        cached = _date_spans(sent)
        sent.doc.user_data[("kg_date_spans", sent.start)] = cached
    return cached


def _date_spans(sent: Span) -> list[Span]:
    doc = sent.doc
    dated = doc.user_data.get("kg_dated_ents")
    if dated is None:
        dated = [span for e in doc.ents if e.label_ in {"DATE", "TIME"} and (span := without_counts(e)) is not None]
        doc.user_data["kg_dated_ents"] = dated
        doc.user_data["kg_dated_starts"] = [e.start for e in dated]  # in text order, as the entities are
    starts = doc.user_data["kg_dated_starts"]
    spans = dated[bisect_left(starts, sent.start):bisect_left(starts, sent.end)]
    taken = {i for e in spans for i in range(e.start, e.end)}
    for m in DATE_WORDS.finditer(text_of(sent)):
        last = m.group(0).split()[-1]
        if last in {"may", "march"}:
            continue  # "may", "march" as verbs
        span = sent.doc.char_span(sent.start_char + m.start(), sent.start_char + m.end(), alignment_mode="expand")
        if span is None:
            continue
        day_first = span[0].like_num and (span.start == 0
                                          or doc[span.start - 1].lower_ not in {"and", "to", "-", "–"})
        inside = [e for e in spans if span.start <= e.start and e.end <= span.end and len(e) < len(span)] \
            if day_first else []  # "7 April 2017" (not "between 6 and 8 February")
        if inside and not any(e.start < span.start < e.end or e.start < span.end < e.end for e in spans):
            spans = [e for e in spans if e not in inside]  # "7 April 2017" where NER read "April 2017"
            taken -= {i for e in inside for i in range(e.start, e.end)}
        if not taken & set(range(span.start, span.end)):
            spans.append(span)
            taken |= set(range(span.start, span.end))
    return sorted(spans, key=lambda s: s.start)


DATELINE_DASHES = frozenset({"-", "—", "–", "--"})
"""What ends a dateline: "BEIRUT (AP) —"."""


def is_dateline(span: Span, agencies: frozenset[str] = frozenset()) -> bool:
    """Whether a name is the place a report was filed from: "AMMAN (Reuters) -", "BEIRUT, Lebanon (AP) —" opening
    a sentence, or a place right before a news agency anywhere ("Moscow AFP", its parentheses lost)."""
    doc = span.doc
    following = [t.text for t in doc[span.end:span.end + 2] if t.text not in {"(", ","}]
    if following and following[0] in agencies:
        return True
    if not doc[span.start].is_sent_start or not span.text.isupper():
        return False
    rest = [t.text for t in doc[span.end:span.end + 8]]
    return bool(rest) and rest[0] in {"(", ","} | DATELINE_DASHES and any(t in DATELINE_DASHES for t in rest)


def without_counts(span: Span) -> Span | None:
    """A date entity without the count NER ran into it: "Tuesday 11" in "On Tuesday 11 people were killed".

    Text stripped of commas runs a date into the number after it; a trailing
    number that counts a noun outside the entity is not part of the date.
    """
    doc, end = span.doc, span.end
    while end > span.start + 1 and _counts_after(doc[end - 1], end):
        end -= 1
    return span if end == span.end else doc[span.start:end]


def _counts_after(token: Token, end: int) -> bool:
    """Whether a number ending a date entity counts what follows it ("11" in "Sunday 11 people")."""
    if not token.like_num or re.fullmatch(r"(?:19|20)\d\d", token.text):
        return False
    if token.dep_ == "nummod" and token.head.i >= end:
        return True
    return end < len(token.doc) and token.doc[end].tag_ == "NNS"  # the parse hung it on the date


TEMPORAL_MARKERS = {"as", "while", "when", "after", "before", "until", "since", "ahead"}
CLAUSE_DEPS = {"relcl", "advcl", "ccomp", "xcomp", "conj", "parataxis", "csubj", "pcomp"}


def clause_head(token: Token) -> Token:
    """The head of the smallest clause a token is in (noun modifiers such as "known as ..." do not count)."""
    while token.head.i != token.i:
        if token.dep_ in CLAUSE_DEPS or (token.dep_ == "acl" and any(c.lower_ == "to" for c in token.children)):
            return token
        if token.lower_ in TEMPORAL_MARKERS and token.dep_ in {"prep", "mark"} and opens_clause(token):
            return token  # "... killed 95 people as a delegation prepared for talks today"
        token = token.head
    return token


def opens_clause(marker: Token) -> bool:
    """True for "as"/"while"/"after"... introducing a clause, not a noun ("known as the Pearl of the Desert")."""
    if marker.dep_ == "mark" or marker.lower_ != "as":
        return True
    return any(g.dep_ in {"acl", "relcl"} and g.pos_ == "VERB" for obj in marker.children for g in obj.children)


def after_since(ent: Span) -> bool:
    """True for a date that starts a duration ("since 2011", "since the outbreak of a 2011 revolt")."""
    return any(t.lower_ == "since" and t.dep_ in {"prep", "mark"} for t in ent.root.ancestors) or \
        (ent.start > 0 and ent.doc[ent.start - 1].lower_ == "since")


def own_phrase(token: Token) -> Iterator[Token]:
    """A token's subtree without the clauses hanging from it (relative clauses, appositions, participles)."""
    yield token
    for child in token.children:
        if child.dep_ not in {"relcl", "acl", "appos", "advcl", "ccomp", "parataxis", "conj"}:
            yield from own_phrase(child)


def stand_in(token: Token, event_nouns: frozenset[str] = frozenset()) -> Token:
    """The noun that stands for a trigger in its sentence: "strikes" in "a string of strikes" is "string", and
    "attack" in "an attack attempt" is "attempt" when ``event_nouns`` holds it."""
    if token.dep_ == "compound" and token.head.pos_ == "NOUN" and token.head.lower_ in event_nouns:
        return token.head
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ == "NOUN" \
            and token.head.head.lower_ in {"string", "series", "wave", "spate", "barrage", "round", "number", "dozens", "volley"}:
        return token.head.head
    return token


def fought(noun: Token) -> list[Token]:
    """Whom a noun phrase is said to be fighting: "the forces fighting Islamic State militants"."""
    return [t for acl in noun.children if acl.dep_ == "acl" and acl.lemma_ in FIGHT_VERBS
            for o in acl.children if o.dep_ == "dobj" for t in noun_core(o)]


def antecedent(subject: Token) -> Token:
    """The noun a relative pronoun subject stands for ("the army" in "the army, which repelled the attack"), else
    the subject itself."""
    clause_verb = subject.head
    if subject.lower_ in {"who", "which", "that"} and clause_verb.dep_ == "relcl" \
            and clause_verb.head.i != clause_verb.i:
        return clause_verb.head
    return subject


def speaker(verb: Token) -> Token | None:
    """The subject of the speech verb a clause is reported by ("the SDF" in "the SDF said they seized")."""
    head = verb
    for _ in range(2):
        if head.dep_ not in {"ccomp", "xcomp", "conj"} or head.head.i == head.i:
            return None
        head = head.head
        if head.lemma_.lower() in SPEECH_VERBS:
            subjects = [c for c in head.children if c.dep_ == "nsubj"]
            return subjects[-1] if subjects else None
    return None


def inherited_subject(verb: Token) -> Token | None:
    """The subject a verb shares with the verb or adjective it depends on ("was due to meet", "attacked and seized")."""
    head = verb
    for _ in range(3):
        if head.dep_ not in {"xcomp", "conj", "ccomp", "acomp", "pcomp", "prep", "advcl"} or head.head.i == head.i:
            return None
        head = head.head
        for child in head.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return child
    return None


def is_duration(ent: Span) -> bool:
    """True for what is not a point in time: "three years", "2-1/2 year", a bare count NER took for a date."""
    text = ent.text.strip()
    if re.fullmatch(r"(?:19|20)\d\d", text):
        return ent.root.dep_ == "nummod"  # "in 2016" is a year; "1935 people" a count the model took for one
    if re.fullmatch(r"[\d,.]+", text):
        return True
    if parse_number(text) is not None:
        return True  # "Forty" (men), a count the model took for a date
    if re.search(r"\b(?:past|last|previous)\b", text, re.I):
        return False  # "the last 15 days", "over the past week": a span up to now, which dates what it tells
    if re.fullmatch(r"(?:in\s+)?(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|several)\s+"
                    r"(?:day|week|month|year|hour)s?", text, re.I):
        return True  # "in one day", "two weeks": how long, not when
    if re.fullmatch(r"(?:for\s+)?(?:the|a)\s+(?:(?:first|second|third|fourth|fifth|sixth|seventh|\w+th|\d+(?:st|nd|rd|th))"
                    r"(?:\s+(?:straight|consecutive|successive))?\s+)?(?:day|night|week|time)", text, re.I):
        return True  # "for the second day", "the day": a count of days, not a date
    if re.search(r"\d[\d/-]*[\s-]*(?:year|month|week|day|hour)s?\b", text, re.I) and not re.search(r"\b(?:ago|earlier|later)\b", text, re.I):
        return True
    words = {t.lower_ for t in ent}
    return bool(words & DURATION_WORDS) and not words & {"ago", "last", "earlier", "later"}


def sentences(doc: Doc) -> list[Span]:
    """The sentences of ``doc``, found once per Doc (``Span.sent`` scans the Doc at every call)."""
    cached = doc.user_data.get("kg_sentences")
    if cached is None:
        cached = list(doc.sents)
        doc.user_data["kg_sentences"] = cached
        doc.user_data["kg_sentence_starts"] = [s.start for s in cached]
    return cached


def sentence_of(item: Token | Span) -> Span:
    """The sentence a token or span is in."""
    doc = item.doc
    sents = sentences(doc)
    start = item.i if isinstance(item, Token) else item.start
    return sents[bisect_right(doc.user_data["kg_sentence_starts"], start) - 1]
