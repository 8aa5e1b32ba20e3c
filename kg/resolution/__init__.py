"""Claims of all articles -> one canonical node per real event, person and place.

Resolution is a stage of its own: it reads every article's claims (see
:mod:`kg.claims`) and decides which are of one real thing. The result depends
only on the set of claims and the analysts' overrides, never on the order the
articles were read in, and the same claims always give the same nodes.

*Entities.* Each article's description of a person, a place its text
describes, or a new armed group is one entity claim; claims under one key give
one node. Spellings of one name are merged: people whose names fold to one key
("Rami Abdel Rahman", "Rami Abdurrahman"), places the text describes that sound
alike inside places that contain one another ("Zubdiya" in Syria and "Zubdiya"
in Aleppo, "Salamyieh" and the gazetteer's Salamiyah).

*Events.* Claims are blocked by type and governorate (a city's countryside
governorate counts as the city's; claims whose place is only the country, or a
place no text put inside one, are compared with every block of their type), so
the cost grows with the claims of a block, not of the store. Within a block,
claims are taken from the most specific (day-dated, most precise place) to the
least, and each joins the first event whose every claim it fits: another
article's, a place inside or around the other's (a city and the province of its
name or its countryside are one area), dates compatible at the known precision
(an undated claim fits an event of a day, or a month, among the days before its
publication), and sides that do not conflict. A claim of a province whose city
shares its node (see :meth:`kg.extraction.placebook.PlaceBook.node`) is
compared as told, the province; its event keeps the precision. Two claims of one
article are never one event: the article's reader has already joined its
tellings.

*Figures.* Every article's figures stay as they are, its toll for the event
(``ckg:casualties``) apart from the other counts it gives (``ckg:otherCasualties``:
another source's, a part); beside them each event gets killed_low, killed_best
and killed_high from the articles' tolls: the smallest any article gives, the
median of the articles' own highest (the lower middle one of an even count),
and the largest.

*Confidence.* An event told by ``n`` distinct outlets (an article with no
outlet named counts as one) has confidence ``1 - 0.5 ** n``; its date and place
confidences are the share of its claims that agree with the date and place
chosen.
"""
from __future__ import annotations

from collections.abc import Sequence

from kg.resolution.entities import EntityResolver
from kg.resolution.events import Clusters, as_told, event_of, keyed, redirected
from kg.resolution.names import ResolutionRules, skeleton
from kg.resolution.records import (CanonicalEntity, CanonicalEvent, Claim, EntityClaim, FigureReport, Override,
                                   Resolution, Roles, follow)


class Resolver(EntityResolver):
    """Resolves claims into canonical nodes, with the gazetteer, the lexicon and the analysts' overrides."""

    def resolve(self, claims: Sequence[Claim], entity_claims: Sequence[EntityClaim] = (),
                labels: dict[str, str] | None = None) -> Resolution:
        """Every claim resolved: canonical events and entities, the names met, the entity merges."""
        entities, redirects, aliases = self.entities(entity_claims, (c.place for c in claims if c.place))
        described = {e.ref: [EntityClaim("", "", e.ref, e.label, (), e.classes, e.parent)] for e in entities
                     if e.ref.startswith("place/")}
        book = self._place_book(described, {})
        affiliation = {e.ref: e.affiliation for e in entities if e.affiliation}
        claims = [as_told(redirected(c, redirects), book) for c in claims]
        names = {**(labels or {}), **{e.ref: e.label for e in entities}}
        clusters = Clusters(self.lexicon, self.overrides, self.rules.undated_window, book, affiliation).of(claims)
        events = keyed([event_of(cluster, book, names, affiliation, self.lexicon) for cluster in clusters])
        return Resolution(tuple(events), tuple(entities), tuple(aliases), tuple(sorted(redirects.items())))


__all__ = ["CanonicalEntity", "CanonicalEvent", "Claim", "EntityClaim", "FigureReport", "Override", "Resolution",
           "ResolutionRules", "Resolver", "Roles", "follow", "skeleton"]
