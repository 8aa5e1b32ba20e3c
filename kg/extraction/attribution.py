"""Who claims an event or accuses someone of it, kept apart from who did it.

In "IS claimed the bombing" IS is the agent and the claimant; in "activists accused Russian jets of bombing the
market" Russia is the agent and the activists accuse (verbs in ``[attribution]`` of ``kg/data/triggers.toml``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extraction.mentions import Mentions
from kg.extraction.syntax import SPEECH_VERBS, noun_core
from kg.lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kg.extraction.roles import Roles


def read_attribution(root: Token, found: Roles, mentions: Mentions, lexicon: Lexicon) -> None:
    """Who claims the event ("IS claimed responsibility for the attack") or accuses someone of it."""
    claimed = [c for c in root.children if c.dep_ in {"acl", "relcl"} and c.lemma_.lower() in lexicon.claim_verbs]
    for head in [*claimed, root, *list(root.ancestors)[:4]]:  # "an attack claimed by IS", "IS claimed the attack"
        lemma = head.lemma_.lower()
        if lemma in lexicon.claim_verbs:
            subject = [c for c in head.children if c.dep_ in {"nsubj", "agent"}]
            claimers = [m.ref for c in subject for m in mentions.within(c.subtree) if m.kind != "place"]
            if not claimers:
                continue  # "which it claimed targeted Kurdish forces": who "it" is, the claim above says
            found.claimed_by += claimers
            if not found.agents:
                found.agents += claimers
            return
        if lemma in lexicon.accuse_verbs:
            accusers = [m.ref for c in head.children if c.dep_ == "nsubj"
                        for m in mentions.within(c.subtree) if m.kind != "place"]
            accused = [m.ref for c in head.children if c.dep_ == "dobj"
                       for m in mentions.within(noun_core(c)) if m.kind != "place"]
            found.accused_by += accusers
            if accused and not found.agents:
                found.agents += accused
            found.agents = [a for a in found.agents if a not in accusers or a in accused]
            return
        if lemma in SPEECH_VERBS:
            return
