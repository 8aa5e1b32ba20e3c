"""Doc -> place mentions: gazetteer names, and places the text itself says are places.

Most villages, neighbourhoods, camps, bases and crossings a report names are
in no gazetteer. The context makes them places: "the village of Rityan",
"Tall Tawil village", "the Salihiah neighbourhood of Hasakeh", "in Jisreen, a
town in Eastern Ghouta", "Maarzita in southern Idlib province", "Abu al-Duhur
air base". Such a place gets a key under the place that contains it (the one
the context names, else the nearest one named before it in the sentence) and
no coordinates: nothing is invented. A name the gazetteer knows only far
away ("Salihiah" in Iran) yields to the local place the context describes.

>>> from kg.nlp import load_pipeline
>>> doc = load_pipeline()("Shells hit the village of Jisreen near Damascus.")
>>> [(m.label, m.parent, m.place_kind) for _, m in place_mentions(doc, Gazetteer.load()) if m.parent]
[('Jisreen', 'place/sy/gov/damascus', 'city')]
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from kg.extraction.mentions import EntityMention, mention_of, slug
from kg.extraction.syntax import doc_tokens, is_dateline, lower_words, sentence_of, sentences
from kg.gazetteer import Gazetteer, Place, neighbourhood_of, normalise, phonetic
from kg.lexicon import Lexicon

NEAR_COUNTRIES = frozenset({"SY", "IQ", "LB", "JO", "TR", "IL", "PS"})
HOME_COUNTRIES = frozenset({"SY", "IQ"})
_CAPITAL = re.compile(r"\bthe (?:\w+ )?capital\b", re.I)
LINKING_ADJECTIVES = frozenset({"nearby", "neighbouring", "neighboring", "adjacent", "adjoining"})
ARTICLES = frozenset({"al", "el", "ar", "as", "ash", "ad", "az", "ez", "es", "an", "at", "et", "ul", "bin", "abu", "bani",
                      "wa"})
NOT_NAMES = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "another",
                       "other", "rebel", "regime", "government", "opposition", "border",
                       "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "and", "or",
                       "january", "february", "march", "april", "may", "june", "july", "august", "september",
                       "october", "november", "december", "ramadan", "eid",
                       "in", "of", "on", "at", "near", "he", "she", "it", "they", "we", "i"})


@dataclass(frozen=True)
class Setting:
    """A word that makes the name next to it a place, and the kind of place it makes."""

    word: str  # "village", "air base", "border crossing"
    kind: str  # "city" (a city, town or village) or "neighbourhood" (a district or a site)


def place_mentions(doc: Doc, gazetteer: Gazetteer) -> list[tuple[Span, EntityMention]]:
    """Every place mention of ``doc``, with the span it covers, in text order."""
    out: list[tuple[Span, EntityMention]] = []
    known: list[tuple[Span, Place]] = []
    for span in doc.spans["places"]:
        if span.label_ == "neighbourhood":
            continue
        place = gazetteer.get(span.label_)
        known.append((span, place))
    settings = _settings()
    found = list(_described_places(doc, gazetteer, known, settings))
    inside = {i for s, _, _ in found for i in range(s.start, s.end)}
    for span, place in known:
        if span.start in inside:  # "Old Damascus", "the Atme border crossing": the described name wins
            continue
        out.append((span, mention_of(span, f"place/{place.key}", place.name)))
    taken = {i for s, _ in out for i in range(s.start, s.end)}
    # "al-Tayba village" is not Israel's Tayibe; "AMMAN (Reuters) -" contains nothing the report tells
    agencies = Lexicon.load().agencies
    known = [(s, p) for s, p in known if s.start not in inside and not is_dateline(s, agencies)]
    countries = {p.country_code for _, p in known if p.country_code in NEAR_COUNTRIES}
    home_code = "SY" if "SY" in countries or not countries else (next(iter(countries)) if len(countries) == 1 else None)
    home = gazetteer.get(f"country/{home_code.lower()}") if home_code else None
    capital = gazetteer.lookup(Lexicon.load().capitals[home_code]) if home_code in Lexicon.load().capitals else None
    described: list[tuple[Span, Place]] = []
    parents: dict[int, Place] = {}  # where a described name starts -> what contains it
    for span, name, setting in sorted(found, key=lambda f: -f[0].start):  # the last first: "X area of Old Damascus"
        if taken & set(range(span.start, span.end)):
            continue
        listed = next((parents[k] for k in range(span.end, span.end + 2) if k in parents), None)
        parent = listed or _container(span, known + _holding(span, described), gazetteer,
                                      setting.kind)  # "al-Faid al-Sukkari and al-Fardous in Aleppo": all in Aleppo
        if parent is None and capital is not None and _CAPITAL.search(sentence_of(span).text):
            parent = _container_of(capital, gazetteer, setting.kind)  # "several areas of the capital including X"
        parent = parent or home  # else Syria (or the one neighbouring country named): the war these reports tell
        if parent is None:
            continue
        parents[span.start] = parent
        key = _key(name, parent, gazetteer)
        if key in gazetteer:  # "the countryside of Salamyieh": a spelling the gazetteer knows by its sound
            place = gazetteer.get(key)
            out.append((span, mention_of(span, f"place/{key}", place.name)))
            described.append((span, place))
            taken |= set(range(span.start, span.end))
            continue
        out.append((span, mention_of(span, f"place/{key}", name, parent=f"place/{parent.key}", place_kind=setting.kind)))
        described.append((span, Place(key, name, "neighbourhood" if setting.kind == "neighbourhood" else "city",
                                      parent.country_code, None, None, None, parent.key)))
        taken |= set(range(span.start, span.end))
    out += _recurrences(doc, out, taken)
    cities = [(s.start, p) for s, p in known if p.kind == "city"]
    for span in doc.spans["places"]:
        if span.label_ != "neighbourhood" or taken & set(range(span.start, span.end)):
            continue
        city = _city_for(span, cities)
        if city is None:
            continue
        name = re.sub(r"^(?:the\s+)", "", span.text, flags=re.I)
        hood = neighbourhood_of(name, city)
        out.append((span, mention_of(span, f"place/{hood.key}", hood.name, parent=f"place/{city.key}",
                                   place_kind="neighbourhood")))
    out.sort(key=lambda pair: pair[0].start)
    return out


def _recurrences(doc: Doc, found: list[tuple[Span, EntityMention]], taken: set[int]) -> list[tuple[Span, EntityMention]]:
    """Other places in the text where a described place is named bare ("a school in Jisreen")."""
    described = {tuple(t.text for t in s): m for s, m in found if m.parent}
    out = []
    texts = [t.text for t in doc_tokens(doc)]
    where: dict[str, list[int]] = {}  # a word -> the tokens that are it, in text order
    for k, text in enumerate(texts):
        where.setdefault(text, []).append(k)
    for words, mention in described.items():
        size = len(words)
        for i in where.get(words[0], ()):
            after = doc[i + size].lower_ if i + size < len(doc) else ""
            if tuple(texts[i:i + size]) == words \
                    and not taken & set(range(i, i + size)) and after not in Lexicon.load().community_nouns:
                span = doc[i:i + size]
                out.append((span, mention_of(span, mention.ref, mention.label, parent=mention.parent,
                                             place_kind=mention.place_kind)))
                taken |= set(range(i, i + size))
    return out


def _settings() -> dict[tuple[str, ...], Setting]:
    """The place words of ``kg/data/words.toml`` by their words (made once per lexicon)."""
    return _settings_of(Lexicon.load())


@lru_cache(maxsize=2)
def _settings_of(lexicon: Lexicon) -> dict[tuple[str, ...], Setting]:
    return {tuple(s.word.split()): s for s in (Setting(w, kind) for kind, words in lexicon.place_words.items()
                                               for w in words)}


def _described_places(doc: Doc, gazetteer: Gazetteer, known: list[tuple[Span, Place]],
                      settings: dict[tuple[str, ...], Setting]):
    """Names the context calls places: "the town of X", "X village", "the X neighbourhood (of Y)"."""
    longest = max(len(k) for k in settings)
    known_at = {i: p for s, p in known for i in range(s.start, s.end)}
    headlines = _headline_tokens(doc)
    lower = lower_words(doc)
    firsts = {k[0] for k in settings} | {k[0] + "s" for k in settings if len(k) == 1}
    i = 0
    while i < len(doc):
        if i in headlines or lower[i] not in firsts:  # "17 Killed as Qaeda Attacks Syria Kurd Town": all capitals
            i += 1
            continue
        setting, size = _setting_at(lower, i, settings, longest)
        if setting is None:
            i += 1
            continue
        after = doc[i + size].lower_ if i + size < len(doc) else ""
        if after == "of":  # "the village of Rityan", "the neighbourhoods of Seif al-Dawla and Zubdiya"
            plural = lower[i + size - 1] != setting.word.split()[-1]
            for name in _names_after(doc, i + size + 1, listing=plural):
                yield from _described(name, setting, known_at, gazetteer)
        name = _name_before(doc, i)
        if name is not None and all(t.is_title for t in doc[i:i + size]) and setting.kind in {"site", "area"}:
            name = doc[name.start:i + size]  # "Nile Street", "Abed Hill", "Mallah Farms": the word is in the name
        if name is not None:  # "Tall Tawil village", "the Atmeh refugee camp"
            yield from _described(name, setting, known_at, gazetteer)
        elif (k := _apposition_start(doc, i)) is not None and (name := _name_before(doc, k)) is not None:
            yield from _described(name, setting, known_at, gazetteer)  # "Jisreen, a town in Eastern Ghouta"
        i += size
    yield from _located_names(doc, known_at, gazetteer)


def _headline_tokens(doc: Doc) -> set[int]:
    """The tokens of the sentences in headline case (found once per Doc)."""
    cached = doc.user_data.get("kg_headline_tokens")
    if cached is None:
        cached = {t.i for sent in sentences(doc) if _headline(sent) for t in sent}
        doc.user_data["kg_headline_tokens"] = cached
    return cached


def _headline(sent: Span) -> bool:
    """True for a sentence in headline case: most of its words capitalised."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.is_title for t in words) >= 0.7 * len(words)


def _apposition_start(doc: Doc, i: int) -> int | None:
    """Where "a town" (or ", a small village") starts before the place word at ``i``, if it is one."""
    k = i - 1
    while k >= 0 and i - k <= 3 and doc[k].lower_ not in {"a", "an"} and doc[k].pos_ in {"ADJ", "NOUN", "PROPN"} \
            and not doc[k].is_title:
        k -= 1
    if k < 1 or doc[k].lower_ not in {"a", "an"}:
        return None
    return k - 1 if doc[k - 1].text == "," else k


def _located_names(doc: Doc, known_at: dict[int, Place], gazetteer: Gazetteer):
    """An unknown name placed inside a known place: "in Maarzita in southern Idlib province", "at Khneifes near Hama"."""
    city = Setting("town", "city")
    headlines = _headline_tokens(doc)
    lower = lower_words(doc)
    for i in (i for i, word in enumerate(lower) if word in {"in", "at", "near"}):
        token = doc[i]
        if token.i + 2 >= len(doc) or token.i in headlines or not doc[token.i + 1].is_title:
            continue
        j = token.i + 1
        while j < len(doc) and j - token.i <= 4 and j not in known_at and _is_name_word(doc[j], j == token.i + 1):
            j += 1
        if j == token.i + 1 or j >= len(doc) or doc[j].lower_ not in {"in", "near", "outside"}:
            continue
        k = j + 1
        while k < len(doc) and k - j <= 3 and k not in known_at and (doc[k].pos_ in {"DET", "ADJ"} or doc[k].lower_ in
                                                                     {"the", "northern", "southern", "eastern", "western"}):
            k += 1
        if k in known_at and known_at[k].country_code in NEAR_COUNTRIES:
            name = doc[token.i + 1:j]
            if name[0].lower_ not in ARTICLES or len(name) > 1:
                yield from _described(name, city, known_at, gazetteer)


def _described(name: Span, setting: Setting, known_at: dict[int, Place], gazetteer: Gazetteer):
    """A described name, unless it is a place the gazetteer knows nearby (then that place is used as is).

    A name holding an actor's or a country's name ("Qaeda Attacks Syria Kurd" in a headline) is no place's.
    """
    named = _named_tokens(name.doc)
    if named & set(range(name.start, name.end)) or any(
            (p := gazetteer.lookup(t.text)) is not None and p.kind == "country" for t in name if t.is_title):
        return
    here = {known_at[i] for i in range(name.start, name.end) if i in known_at}
    whole = all(i in known_at for i in range(name.start, name.end))
    if here and whole and all(p.country_code in HOME_COUNTRIES for p in here):
        return  # "the town of Ariha": the gazetteer's ("Old Damascus", "al-Tayba village" in Israel: not it)
    if here or gazetteer.lookup(name.text) is None or gazetteer.lookup(name.text).country_code not in NEAR_COUNTRIES:
        yield name, _clean_name(name.text), setting


def _setting_at(lower: Sequence[str], i: int, settings: dict[tuple[str, ...], Setting],
                longest: int) -> tuple[Setting | None, int]:
    for size in range(longest, 0, -1):
        words = tuple(lower[i:i + size])
        if len(words) == size and words in settings:
            return settings[words], size
        if len(words) == size and words[-1].endswith("s") and words[:-1] + (words[-1][:-1],) in settings:
            return settings[words[:-1] + (words[-1][:-1],)], size  # "the neighbourhoods of ..."
    return None, 0


def _is_name_word(token, first: bool) -> bool:
    """A word that can be part of a place's name: capitalised ("Tawil", "al-Kallaseh"), or an article inside one."""
    text, lower = token.text, token.lower_
    if lower in ARTICLES:
        return not first or token.is_title or _joined(token)
    if text in {"-", "'", "’"}:  # "al-Nahda", tokenised "al", "-", "Nahda"
        return not first and token.i > 0 and not token.doc[token.i - 1].whitespace_ and not token.whitespace_
    if lower in NOT_NAMES or lower in Lexicon.load().demonyms:  # the model's entity types are no guide ("Milis", NORP)
        return False
    return token.is_title or (len(text) > 3 and text[:3].lower() in {"al-", "el-", "ar-", "as-", "ad-", "az-", "ez-", "es-"})


def _joined(token) -> bool:
    """True for an article written onto the name after it: the "al" of "al-Nahda"."""
    doc = token.doc
    return not token.whitespace_ and token.i + 1 < len(doc) and doc[token.i + 1].text == "-"


def _names_after(doc: Doc, start: int, *, listing: bool = False) -> list[Span]:
    """One or more names from ``start``: "Seif al-Dawla and Zubdiya".

    In a list ("the neighbourhoods of al-Faid al-Sukkari and al-Fardous", its commas lost), a name that opens with
    an article ends where the next article-opened name begins.
    """
    names = []
    i = start
    while i < len(doc):
        j = i
        while j < len(doc) and j - i < 5 and _is_name_word(doc[j], j == i) and doc[j].lower_ not in {"and", "wa"} \
                and not (listing and j > i + 1 and _joined(doc[j]) and _joined(doc[i])):
            j += 1
        while j > i and doc[j - 1].lower_ in ARTICLES:
            j -= 1
        if j == i:
            break
        names.append(doc[i:j])
        nxt = j + 2 if j + 2 < len(doc) and doc[j + 1].lower_ in LINKING_ADJECTIVES else j + 1
        if j < len(doc) and doc[j].lower_ in {"and", ","} and nxt < len(doc) and _is_name_word(doc[nxt], True):
            i = nxt  # "the towns of Azaz and nearby Marea"
            continue
        if listing and j < len(doc) and _joined(doc[j]):
            i = j  # "al-Faid al-Sukkari": the next name of the list
            continue
        break
    return names


def _name_before(doc: Doc, end: int) -> Span | None:
    """The name right before a place word: "Tall Tawil" in "Tall Tawil village"."""
    i = end
    while i > 0 and end - i < 4 and _is_name_word(doc[i - 1], False):
        i -= 1
    while i < end and (doc[i].lower_ in ARTICLES and not doc[i].is_title and not _joined(doc[i]) or doc[i].text == "-"):
        i += 1
    return doc[i:end] if i < end and _is_name_word(doc[i], True) else None


def _clean_name(text: str) -> str:
    return re.sub(r"^(?:the|a)\s+", "", " ".join(text.split()), flags=re.I)


def _key(name: str, parent: Place, gazetteer: Gazetteer) -> str:
    """A described place's key: under its city for a part of one, else under its country ("sy/jisreen").

    Keys do not depend on which containing place an article names, nor on the spelling ("Meles", "Milis"):
    every article that names the village names the same node.
    """
    part = phonetic(name) or slug(normalise(name)) or slug(name)  # "Deir Sharqi" and "Deir al-Sharqi" alike
    if parent.kind in {"city", "neighbourhood"}:
        return f"{parent.key}/{part}"
    return f"{parent.country_code.lower()}/{part}"


def _named_tokens(doc: Doc) -> set[int]:
    """The tokens of the actors, people and generic references the Doc's spans name (found once per Doc)."""
    named = doc.user_data.get("kg_named_tokens")
    if named is None:
        named = {i for key in ("actors", "people", "generic") for s in doc.spans[key] if s.label_ != "?"
                 for i in range(s.start, s.end)}
        doc.user_data["kg_named_tokens"] = named
    return named


def _container(span: Span, known: list[tuple[Span, Place]], gazetteer: Gazetteer, kind: str) -> Place | None:
    """The place that contains a place found in text: one named right after it, else the last one before it.

    A neighbourhood, or a site named with a city ("Nile Street in Aleppo"), is in that city; a village or an
    area "near Hama" is in Hama's governorate; an area is never inside a city.
    """
    sent = sentence_of(span)
    reach = span.end + 8
    between = next((t for t in span.doc[span.end:min(span.end + 4, sent.end)] if t.lower_ == "between"), None)
    if between is not None:  # "the Atme crossing between Turkey and the Syrian province of Idlib": both sides
        reach = max(reach, between.right_edge.i)
    after = [p for s, p in sorted(known, key=lambda k: k[0].start)
             if span.end <= s.start <= reach and s.start < sent.end][:2]
    after.sort(key=lambda p: p.country_code not in HOME_COUNTRIES)  # "between Turkey and Idlib province": Idlib
    before = [p for s, p in known if sent.start <= s.start < span.start]
    for place in after[:1] + before[::-1]:
        if place.country_code not in NEAR_COUNTRIES:
            continue
        if place.kind == "city" and kind in {"city", "area"} or place.kind == "neighbourhood" and kind != "neighbourhood":
            return _governorate(place, gazetteer)  # a village near a city lies in the city's governorate
        return place
    return None


def _holding(span: Span, described: list[tuple[Span, Place]]) -> list[tuple[Span, Place]]:
    """The places of ``described`` (named after ``span``, the last first) said to contain ``span`` (see
    :func:`_holds`), in the order of ``described``.

    Only those named before the first word after ``span`` that lists ("and", ",", "or") can be: the others are not
    read, so that a long text costs each name a few words, not the whole text.
    """
    doc = span.doc
    stop = span.end
    while stop < len(doc) and doc[stop].lower_ not in {"and", ",", "or"}:
        stop += 1
    found = []
    for item in reversed(described):  # in text order
        if item[0].start > stop:
            break
        if _holds(span, item[0]):
            found.append(item)
    return found[::-1]


def _holds(span: Span, other: Span) -> bool:
    """Whether a place named after ``span`` is said to contain it ("X area of Y", "X in Y"), not listed with it.

    The words between are read until the first that lists ("and", ",", "or"): a place far after ``span`` costs
    no more than one close to it.
    """
    if other.start < span.end:
        return False
    contains = False
    for token in span.doc[span.end:other.start]:
        word = token.lower_
        if word in {"and", ",", "or"}:
            return False
        contains = contains or word in {"of", "in"}
    return contains


def _container_of(city: Place, gazetteer: Gazetteer, kind: str) -> Place | None:
    """What contains a place told to be in ``city``: the city itself, or its governorate for a village or an area."""
    return _governorate(city, gazetteer) if kind in {"city", "area"} else city


def _governorate(place: Place, gazetteer: Gazetteer) -> Place | None:
    while place.kind not in {"governorate", "country"} and place.parent:
        place = gazetteer.get(place.parent)
    return place


def _city_for(span: Span, cities: list[tuple[int, Place]]) -> Place | None:
    """The city a neighbourhood is in: one named in its sentence after it, else the last one named before."""
    sent = sentence_of(span)
    later = [p for pos, p in cities if span.end <= pos < sent.end]
    if later:
        return later[0]
    earlier = [p for pos, p in cities if pos < span.start]
    return earlier[-1] if earlier else None
