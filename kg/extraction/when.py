"""Trigger -> the words that date its event: the event's own date, else the date it was reported.

A date in the trigger's own phrase ("the bombing on Tuesday") or in a clause
that contains it ("On Saturday, the SDF said they seized ...") dates the
event; a date in a clause of its own ("... as a delegation prepared for
talks today", "since IS seized the city last year") does not. When the event
has no date of its own, the day its report was given does ("activists said
on Sunday", "a monitor said Saturday"): a report dates what it tells.
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extraction.syntax import SPEECH_VERBS, after_since, clause_head, date_spans, is_duration, own_phrase, sentence_of


def event_date(trigger: Span, sent: Span, names: set[int] = frozenset()) -> str | None:
    """The date expression of the event ``trigger`` tells, or None.

    Args:
        trigger: the event's trigger.
        sent: its sentence.
        names: tokens that are names (the model takes odd place names for dates: "in Jisreen").
    """
    root = trigger.root
    dates = [e for e in date_spans(sent) if not is_duration(e) and not after_since(e) and not names & {t.i for t in e}]
    own = {t.i for t in own_phrase(root)} - set(range(trigger.start, trigger.end))
    own |= {t.i for c in root.children if c.dep_ == "relcl" for t in c.subtree}  # "a bombing that struck ... on Monday"
    for ent in dates:
        if ent.root.i in own:
            return ent.text
    ancestors = {root.i, *(t.i for t in root.ancestors)}
    fitting = [e for e in dates if clause_head(e.root).i in ancestors and not _after_relative_clause(e)]
    if fitting:
        return min(fitting, key=lambda e: abs(e.root.i - root.i)).text
    return when_clause_date(root, dates) or date_before_when(root, dates) or report_date(root, dates)


def when_clause_date(root: Token, dates: list[Span]) -> str | None:
    """The date of a "when"/"as" clause of the event's verb: "300 men were executed ... when IS stormed the town
    earlier this week" happened when the town was stormed."""
    verb = root if root.pos_ in {"VERB", "AUX"} else root.head
    for clause in (c for c in verb.children if c.dep_ == "advcl"):
        if any(m.dep_ in {"mark", "advmod"} and m.lower_ in {"when", "as", "while"} for m in clause.children):
            inside = {t.i for t in clause.subtree}
            found = [e for e in dates if e.root.i in inside]
            if found:
                return found[0].text
    return None


def date_before_when(root: Token, dates: list[Span]) -> str | None:
    """The date a "when" clause telling the event follows: "... before, including on January 25 when it fired
    dozens of rockets" happened on January 25, whatever the parser hung the date from."""
    verb = root if root.pos_ in {"VERB", "AUX"} else next((t for t in root.ancestors if t.pos_ in {"VERB", "AUX"}), None)
    when = next((c for c in verb.children if c.dep_ in {"advmod", "mark"} and c.lower_ == "when"), None) if verb else None
    if when is None or when.i == 0:
        return None
    return next((e.text for e in dates if e.end == when.i), None)


def _after_relative_clause(ent: Span) -> bool:
    """True for a date right after a relative clause, before the verb it hangs from: "the town from which they
    were expelled last month sparked ...". Without the commas that would tell, it is the clause's date as likely."""
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    if before is None or before.is_punct:
        return False
    clause = next((t for t in before.ancestors if t.dep_ == "relcl"), None)
    if before.dep_ == "relcl":
        clause = before
    return clause is not None and clause.right_edge.i == before.i and ent.root.head.i > ent.end - 1


def report_date(root: Token, dates: list[Span]) -> str | None:
    """The date of the speech verb that reports the event ("the Observatory said on Saturday"), if any."""
    for verb in root.ancestors:
        if verb.lemma_.lower() in SPEECH_VERBS:
            spoken = [e for e in dates if clause_head(e.root).i == verb.i or e.root.head.i == verb.i]
            if spoken:
                return spoken[0].text
    for verb in (t for t in sentence_of(root) if t.lemma_.lower() in SPEECH_VERBS and t.dep_ in {"ROOT", "parataxis", "ccomp",
                                                                                            "conj"}):
        spoken = [e for e in dates if e.root.head.i == verb.i or (e.root.head.head.i == verb.i
                                                                  and e.root.head.dep_ == "prep")]
        if spoken and verb.i > root.i:  # "... killed 16 people in Hasaka, the Observatory said on Tuesday"
            return spoken[0].text
    return None
