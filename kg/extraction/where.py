"""Where an event was: a place named in its sentence, else the one "the town" points back to.

A place named only to say where something else is does not place an event: the place a report was filed from
("AMMAN (Reuters) -"), one an office is named for ("the Governor of Hatay"), one a distance or a direction is
measured from ("160 km southwest of Palmyra", "northeast of Damascus"); one the event was outside of ("a town
outside Damascus") is near it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Span, Token

from kg.extraction.mentions import EntityMention, Mentions
from kg.extraction.syntax import is_dateline
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon

DISTANCE = re.compile(r"\b(?:\d+|a few|several|some)\s*(?:km|kms|kilomet(?:er|re)s?|miles?|metres?|meters?)\s*$", re.I)
BACK_REFERENCES = (
    (re.compile(r"\b(?:the|this) (?:\w+ )?(?:city|town|village|neighbou?rhoods?|district)\b", re.I), {"city", "neighbourhood"}),
    (re.compile(r"\b(?:the|this) (?:\w+ )?(?:province|governorate|countryside)\b", re.I), {"governorate"}),
)
DIRECTIONS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                        "north-east", "north-west", "south-east", "south-west", "outside"})

ACTING_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "poss", "agent"})
"""Where a capital stands for its state: as a subject or an object, not after "in" or "east of"."""
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "of", "on", "outside", "around", "across", "into"})


class PlaceReader:
    """Reads where events were from the place mentions of one article."""

    def __init__(self, mentions: Mentions, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        self.mentions = mentions
        self.lexicon = lexicon
        self.gazetteer = gazetteer

    def _acts(self, mention: EntityMention) -> bool:
        """Whether a name stands as a subject or object ("Moscow hosted", "accused Damascus"), or as what one is
        loyal to ("militias loyal to Damascus", "backed by Moscow"), as a state does."""
        start, end = self.mentions.tokens_of(mention)
        doc = self.mentions.doc
        root = doc[start:end].root
        if root.dep_ == "pobj" and root.head.lower_ in {"to", "by", "with"} and \
                {root.head.head.lemma_.lower(), root.head.head.lower_} & self.lexicon.allegiance:
            return True
        after_preposition = any(t.lower_ in PLACE_PREPOSITIONS for t in doc[max(0, start - 3):start])
        return root.dep_ in ACTING_DEPS and not after_preposition  # "in down town Damascus": a place

    def outside(self, mention: EntityMention) -> bool:
        """True for a place the event was outside of ("a town outside the capital Damascus")."""
        doc = self.mentions.doc
        start, _ = self.mentions.tokens_of(mention)
        words = [t.lower_ for t in doc[max(0, start - 4):start]]
        return "outside" in words and not any(w in {"in", "at", "of"} for w in words[words.index("outside") + 1:])

    def office(self, mention: EntityMention) -> bool:
        """True for a place an office is named for ("the Governor of Hatay", "the mayor of Kilis"): where the
        speaker holds office, not where the event was."""
        doc = self.mentions.doc
        start, _ = self.mentions.tokens_of(mention)
        before = [t.lower_ for t in doc[max(0, start - 2):start]]
        return len(before) == 2 and before[1] == "of" and before[0] in self.lexicon.titles

    def organisation(self, mention: EntityMention) -> bool:
        """True for a place an organisation is named for ("the Ghouta Media Center said ..."): where it is, not
        where what it reports happened."""
        _, end = self.mentions.tokens_of(mention)
        for token in self.mentions.doc[end:end + 3]:  # the capitalised words of the name after the place
            if not token.is_title:
                return False
            if token.lower_ in self.lexicon.organisations:
                return True
        return False

    def landmark(self, mention: EntityMention) -> bool:
        """True for a place named to say where another lies ("the village of Maaloula northeast of Damascus",
        "160 km southwest of Palmyra"): "the village" told later is not it."""
        doc = self.mentions.doc
        start, _ = self.mentions.tokens_of(mention)
        before = [t.lower_ for t in doc[max(0, start - 2):start]]
        return self.distant(mention) or (len(before) == 2 and before[1] == "of" and before[0] in DIRECTIONS)

    def dateline(self, mention: EntityMention) -> bool:
        """True for the place a report was filed from ("AMMAN (Reuters) -"), not where what it tells happened."""
        return is_dateline(self.mentions.doc[slice(*self.mentions.tokens_of(mention))], self.lexicon.agencies)

    def distant(self, mention: EntityMention) -> bool:
        """True for a place a distance is measured from ("160 km southwest of Palmyra"): not where it happened."""
        doc = self.mentions.doc
        start, _ = self.mentions.tokens_of(mention)
        words = [t for t in doc[max(0, start - 5):start] if t.lower_ not in {"of", "the"}]
        text = " ".join(t.text for t in words if t.lower_ not in DIRECTIONS)
        return bool(words) and words[-1].lower_ in DIRECTIONS and bool(DISTANCE.search(text))

    def sentence_place(self, sent: Iterable[Token], before: int) -> str | None:
        """A place named in the sentence (or clause), else the one it points back to ("the city", "the province"):
        the last named before character ``before``."""
        tokens = list(sent)
        within = self.mentions.within(tokens)
        states = {(m.start, m.end) for m in within if m.kind == "actor" and self._acts(m)}  # "accused Damascus of it"
        mentions = [m for m in within if m.kind == "place" and (m.start, m.end) not in states and not self.distant(m)
                    and not self.outside(m) and not self.dateline(m) and not self.office(m)
                    and not self.organisation(m)]
        specific = [m for m in mentions if self.place_kind(m.ref) != "country"]
        if specific:
            return specific[0].ref
        text = " ".join(t.text for t in tokens)
        for pattern, kinds in BACK_REFERENCES:  # "the western town", "the province": the one named last before
            if pattern.search(text):
                last = next((m for m in reversed(self.mentions.all) if m.start < before and m.kind == "place"
                             and self.place_kind(m.ref) in kinds and not self.landmark(m) and not self.dateline(m)),
                            None)  # read from the end: the last one is found without reading the whole text
                if last is not None:
                    return last.ref
        return mentions[0].ref if mentions else None

    def host_capital(self, trigger: Span) -> str | None:
        """Where talks "at the Russian foreign ministry" were held: the host state's capital."""
        for token in [*trigger, *list(trigger.root.ancestors)[:2]]:
            for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "at"):
                for m in self.mentions.within(prep.subtree):
                    actor = self.lexicon.actors.get(m.key) if m.kind == "actor" else None
                    if actor is not None and actor.capital and (place := self.gazetteer.lookup(actor.capital)):
                        return f"place/{place.key}"
        return None

    def place_kind(self, ref: str) -> str:
        """The kind of place a place ref names ("country", "governorate", "city", "neighbourhood")."""
        key = ref.split("/", 1)[1]
        if key in self.gazetteer:
            return self.gazetteer.get(key).kind
        return self.mentions.place_kind(ref) or "neighbourhood"
