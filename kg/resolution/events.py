"""Event resolution: claims of many articles -> one canonical event per real event.

Claims are blocked by type and governorate (a city's countryside governorate counts as the city's, so Douma
and "Damascus" share a block; claims whose place is only the country, or a place no text put inside one, are
compared with every block of their type) and filed by month, so a claim is compared
only with events it may fit. Within a block, claims are taken from the most specific (day-dated, most
precise place) to the least, and each joins the first event whose every claim it fits (:meth:`Clusters.fits`).
Two claims of one article are never one event: the article's reader has already joined its tellings.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from kg.dates import DateValue
from kg.errors import noted
from kg.extraction.mentions import slug
from kg.extraction.placebook import PlaceBook
from kg.lexicon import Lexicon
from kg.resolution.entities import depth
from kg.resolution.records import CanonicalEvent, Claim, Override, Roles, follow

_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


class Clusters:
    """The greedy, order-free clustering of claims into events (see the module's docstring)."""

    def __init__(self, lexicon: Lexicon, overrides: Sequence[Override], window: dt.timedelta, book: PlaceBook,
                 affiliation: dict[str, str]) -> None:
        self.lexicon = lexicon
        self.book = book
        self.affiliation = affiliation
        self.window = window
        self.same = [(o.first, o.second) for o in overrides if o.action == "same" and o.first.startswith("claim/")]
        self.different = {frozenset((o.first, o.second)) for o in overrides if o.action == "different"}
        self._places: dict[tuple[str | None, str | None], bool] = {}

    def of(self, claims: Sequence[Claim]) -> list[list[Claim]]:
        """Claims grouped into events, each group's most specific claim first, groups in key order.

        A claim is compared only with the events of its block (type and governorate; every governorate for a
        claim placed only in the country or in a place no text put inside one) that have a claim of a month it may
        fit (:meth:`_months`), so the cost grows with the claims of a block and month, not of the store.
        """
        blocks: dict[str, list[Claim]] = {}
        floating: list[Claim] = []
        alone: list[list[Claim]] = []
        for c in claims:
            if c.place is None:
                alone.append([c])
            elif self.book.unplaced(c.place) or self.book.kind(c.place) == "country":
                floating.append(c)
            else:
                blocks.setdefault(self.book.region(c.place) or c.place, []).append(c)
        clusters: list[list[Claim]] = []
        index: dict[tuple[str, str, tuple[int, int]], list[int]] = {}

        def place(claim: Claim, scope: str) -> None:
            candidates = sorted({i for m in self._months(claim, lookup=True)
                                 for i in index.get((claim.type, scope, m), ())})
            found = next((i for i in candidates if all(self.fits(claim, other) for other in clusters[i])), None)
            if found is None:
                found = len(clusters)
                clusters.append([])
            clusters[found].append(claim)
            for m in self._months(claim, lookup=False):
                for key in {(claim.type, scope, m), (claim.type, "*", m)}:
                    ids = index.setdefault(key, [])
                    if not ids or ids[-1] != found:
                        ids.append(found)

        for root in sorted(blocks):
            for c in sorted(blocks[root], key=self._specificity):
                with noted(f"block {c.type} in {root}, claim {c.ref}"):
                    place(c, root)
        for c in sorted(floating, key=self._specificity):
            with noted(f"block {c.type} in every place, claim {c.ref}"):
                place(c, "*")
        clusters = self._joined(clusters + alone)
        for cluster in clusters:
            cluster.sort(key=self._specificity)
        return sorted(clusters, key=lambda cl: self._specificity(cl[0]))

    def _months(self, claim: Claim, *, lookup: bool) -> set[tuple[int, int]]:
        """The months under which a claim is filed (``lookup`` False) or looks for events it may fit.

        Any two claims that :meth:`fits` share one: a day or a month is filed and looked up under its month, a
        year under its twelve (and looks at the years on either side: "last year" is reckoned differently), an
        undated claim under the months of the days before its publication that it may tell.
        """
        date = claim.date
        if date is None:
            if claim.published is None:
                return set()
            days = (claim.published - dt.timedelta(days=n) for n in range(self.window.days + 1))
            return {(d.year, d.month) for d in days}
        if date.precision != "year":
            return {(date.year, date.month or 1)}
        years = (date.year - 1, date.year, date.year + 1) if lookup else (date.year,)
        return {(y, m) for y in years for m in range(1, 13)}

    def _joined(self, clusters: list[list[Claim]]) -> list[list[Claim]]:
        """Clusters joined as the analysts' ``same`` overrides say (unless a ``different`` forbids it)."""
        index = {c.ref: i for i, cluster in enumerate(clusters) for c in cluster}
        parent = list(range(len(clusters)))

        def root(i: int) -> int:
            while parent[i] != i:
                i = parent[i]
            return i

        for a, b in self.same:
            if a in index and b in index:
                ra, rb = root(index[a]), root(index[b])
                members = [c.ref for i in (ra, rb) for c in clusters[i]]
                if ra != rb and not any(frozenset((x, y)) in self.different for x in members for y in members):
                    parent[max(ra, rb)] = min(ra, rb)
                    clusters[min(ra, rb)] = clusters[min(ra, rb)] + clusters[max(ra, rb)]
        return [cluster for i, cluster in enumerate(clusters) if root(i) == i]

    def _specificity(self, c: Claim) -> tuple:
        precision = _PRECISION_RANK[c.date.precision] if c.date else 3
        return (precision, -depth(self.book, c.place), c.ref)

    def _sides(self, refs: Iterable[str]) -> set[str]:
        return self.lexicon.sides({self.affiliation.get(r, r) for r in refs})

    def fits(self, a: Claim, b: Claim) -> bool:
        """Whether claims ``a`` and ``b`` (of two articles) may tell one event."""
        if a.article == b.article or a.type != b.type or frozenset((a.ref, b.ref)) in self.different:
            return False
        if not self._compatible(a.place, b.place):
            return False
        if a.date is None or b.date is None:
            if a.date is None and b.date is None:
                if a.published is None or b.published is None or abs(a.published - b.published) > self.window:
                    return False
            else:
                dated, undated = (a, b) if b.date is None else (b, a)
                if undated.published is None or not self._told_after(dated.date, undated.published):
                    return False
                if self.book.kind(undated.place) == "country":
                    return False
        elif not _close(a.date, b.date):
            return False
        elif {a.date.precision, b.date.precision} == {"year", "day"}:
            return False  # "recaptured Aleppo late last year" is too vague to be one day's telling of another article
        elif a.place != b.place and not (a.date.precision == b.date.precision == "day"):
            return False
        elif "country" in (self.book.kind(a.place), self.book.kind(b.place)) and a.date.precision != "day" != b.date.precision:
            return False
        if a.type != "DiplomaticMeeting":
            sa = self._sides(a.roles.agents + a.roles.participants)
            sb = self._sides(b.roles.agents + b.roles.participants)
            if sa and sb and not sa & sb:
                return False
        return True

    def _compatible(self, a: str | None, b: str | None) -> bool:
        key = (a, b) if (a or "") <= (b or "") else (b, a)
        if key not in self._places:
            self._places[key] = self.book.compatible(a, b)
        return self._places[key]

    def _told_after(self, date: DateValue, published: dt.date) -> bool:
        """Whether an article published on ``published`` may tell, undated, the event of ``date``: a day, or a month
        of which some day is one of the days before publication the window covers (a year says too little)."""
        return date.precision != "year" and date.first_day() <= published \
            and published - min(date.last_day(), published) <= self.window


def _close(a: DateValue, b: DateValue) -> bool:
    """Dates two reports may give for one event: compatible, or years one apart ("last year" told in January).

    >>> _close(DateValue(2015), DateValue(2016)), _close(DateValue(2015, 2, 1), DateValue(2015, 2, 3))
    (True, False)
    """
    if a.compatible(b):
        return True
    return a.precision == b.precision == "year" and abs(a.year - b.year) == 1


def redirected(claim: Claim, redirects: dict[str, str]) -> Claim:
    if not redirects:
        return claim
    figures = tuple(replace(f, reported_by=follow(redirects, f.reported_by)) for f in claim.figures)
    return replace(claim, place=follow(redirects, claim.place), roles=claim.roles.mapped(redirects), figures=figures)


def as_told(claim: Claim, book: PlaceBook) -> Claim:
    """The claim with the place its article gave: a governorate, not the node it shares with its city."""
    if claim.place is None or claim.place_precision is None:
        return claim
    return replace(claim, place=book.as_told(claim.place, claim.place_precision), place_precision=None)


def _union(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(sorted({r for g in groups for r in g}))


def _reconciled(claims: Sequence[Claim]) -> tuple[int, int, int] | None:
    """(low, best, high) killed, by the rule in :mod:`kg.resolution`'s docstring.

    >>> from kg.resolution import FigureReport
    >>> _reconciled([Claim("c1", "a1", "AirStrike", figures=(FigureReport("r1", killed=95),)),
    ...              Claim("c2", "a2", "AirStrike", figures=(FigureReport("r2", killed=63),)),
    ...              Claim("c3", "a3", "AirStrike", figures=(FigureReport("r3", killed=63),))])
    (63, 63, 95)
    """
    every = [f.killed for c in claims for f in c.figures if f.killed is not None and not f.other]
    if not every:
        return None
    per_article: dict[str, int] = {}
    for c in claims:
        for f in c.figures:
            if f.killed is not None and not f.other:
                per_article[c.article] = max(per_article.get(c.article, 0), f.killed)
    ranked = sorted(per_article.values())
    return min(every), ranked[(len(ranked) - 1) // 2], max(every)


def _key(first: Claim, date: DateValue | None, place: str | None, lead: list[str]) -> str:
    """An event's key: its type, place, date (or when it was reported) and who did it."""
    article = first.article.split("/", 1)[1]
    when = date.lexical() if date else (f"reported-{first.published.isoformat()}" if first.published
                                        else f"undated-{slug(article)}")
    parts = [first.type.lower(), place.split("/", 1)[1] if place else f"article/{article}", when]
    if lead:
        parts.append("+".join(r.split("/", 1)[1] for r in lead))
    if place is None:
        parts.append(hashlib.sha1(first.ref.encode()).hexdigest()[:8])
    return "/".join(parts)


def keyed(events: list[CanonicalEvent]) -> list[CanonicalEvent]:
    """Events with unique keys: a second event under one key gets ``~2`` (and so on), in claim order."""
    seen: Counter = Counter()
    out = []
    for event in sorted(events, key=lambda e: (e.key, e.claims)):
        seen[event.key] += 1
        if seen[event.key] > 1:
            event = replace(event, key=f"{event.key}~{seen[event.key]}")
        out.append(event)
    return out


def reconciled_roles(claims: Sequence[Claim], lexicon: Lexicon) -> Roles:
    """The roles of one event from its claims: every actor any claim names, the most specific of a side only
    ("Jaish al-Islam", not also "the rebels"), and an actor two roles are given in the role most claims give it.

    A claim that names agents and no target ("IS and the rebels" of "IS claimed a bombing that killed rebels")
    counts half for its agents: a claim that tells both sides apart says more.
    """
    roles = Roles.union(c.roles for c in claims)
    agents, targets = lexicon.most_specific(roles.agents), lexicon.most_specific(roles.targets)
    as_agent = {r: sum(1 if c.roles.targets else 0.5 for c in claims if r in c.roles.agents) for r in agents}
    as_target = {r: sum(r in c.roles.targets for c in claims) for r in targets}
    agents = tuple(r for r in agents if as_agent[r] >= as_target.get(r, 0))
    targets = tuple(r for r in targets if as_target[r] >= as_agent.get(r, 0))
    return replace(roles, agents=agents, targets=targets)


def event_of(claims: list[Claim], book: PlaceBook, names: dict[str, str],
             affiliation: dict[str, str], lexicon: Lexicon) -> CanonicalEvent:
    """The canonical event of one cluster of claims (its most specific claim first)."""
    first = claims[0]
    dated = [c.date for c in claims if c.date is not None]
    date = max(dated, key=lambda d: (sum(d.compatible(o) for o in dated), -_PRECISION_RANK[d.precision],
                                     -d.first_day().toordinal())) if dated else None
    placed = [c.place for c in claims if c.place]
    place = max(placed, key=lambda p: (sum(book.compatible(p, o) for o in placed), placed.count(p),
                                       depth(book, p), p)) \
        if placed else None
    articles = sorted({c.article for c in claims})
    outlets = len({c.outlet or c.article for c in claims})
    node, precision = book.node(place) if place else (None, None)
    place_label = names.get(node or "")
    place_label = f"{place_label} {precision}" if place_label and precision == "governorate" else place_label
    label = first.type + (f" in {place_label}" if place_label else "") + (f", {date.lexical()}" if date else "")
    lead = sorted({affiliation.get(r, r) for r in first.roles.agents or first.roles.participants})[:3]
    return CanonicalEvent(
        key=_key(first, date, place, lead), type=first.type, label=label,
        claims=tuple(sorted(c.ref for c in claims)), date=date, place=node, place_precision=precision,
        roles=reconciled_roles(claims, lexicon), articles=tuple(articles),
        evidence=_union(c.evidence for c in claims),
        figures=_union((f.ref for f in c.figures if not f.other) for c in claims),
        other_figures=_union((f.ref for f in c.figures if f.other) for c in claims),
        sources=tuple(sorted({(f.ref, f.reported_by) for c in claims for f in c.figures if f.reported_by})),
        killed=_reconciled(claims), confidence=round(1 - 0.5 ** outlets, 3),
        date_confidence=round(sum(date.compatible(d) for d in dated) / len(dated), 3) if date else None,
        place_confidence=round(sum(book.compatible(place, p) for p in placed) / len(placed), 3) if place else None,
        outlets=outlets, changes_hands=all(c.changes_hands for c in claims))
