"""Extraction and resolution on real text: what a careful reader of the seeds would say."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extraction import EntityMention, EventMention, read_doc
from kg.extraction.figures import figures_in, parse_number
from kg.nlp import blank_pipeline, load_pipeline
from kg.reading import Article, read_articles
from kg.claims import article_record
from kg.iris import mint_iri, ref_of
from kg.vocab import ID_NS

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    return {a.id[:3]: a for a in read_articles([SEEDS]) if isinstance(a, Article)}


def _record(nlp, article: Article):
    return article_record(article, nlp(article.text), "hash")


def _events(record, event_type: str):
    return [e for e in record.events if e.type == event_type]


# --- figures and numbers (no model needed)


@pytest.mark.parametrize(("text", "killed", "civilians", "qualifier"), [
    ("Syrian regime air strikes on Raqa killed at least 95 people", 95, None, "at least"),
    ("On September 6, 53 people were killed in air strikes on Raqa, among them at least 31 civilians", 53, 31, "exact"),
    ("Among the 63 killed were at least 36 civilians", 63, 36, "exact"),
    ("More than 19 civilians were killed in Eastern Ghouta on Sunday", 19, 19, "more than"),
    ("a car bomb attack that killed twelve people", 12, None, "exact"),
    ("Shelling in Musraba has meanwhile killed another three people including a child", 3, None, "exact"),
    ("A further 12 people died in the strikes", 12, None, "exact"),
    ("Four medical staff from a dispensary in Maarzita were also killed", 4, None, "exact"),
    ("Six people were also reported killed in rebel shelling of the city", 6, None, "exact"),
    ("6 Lebanese martyrs and 22 injured were claimed in a terrorist bombing", 6, None, "exact"),
])
def test_casualty_figures_in_sentences(text, killed, civilians, qualifier):
    figures = figures_in(text)
    assert figures is not None
    assert (figures.killed, figures.civilians, figures.qualifier) == (killed, civilians, qualifier)


@pytest.mark.parametrize("text", [
    "The multi-sided Syrian conflict has killed more than 195,000 people since it began",
    "the three-and-a-half-year conflict that has left 195,000 people dead",
    "Raqa had a pre-war population of about 220,000",
])
def test_war_tolls_and_other_numbers_are_not_casualty_figures(text):
    assert figures_in(text) is None


@given(st.integers(min_value=0, max_value=99_999))
def test_digits_parse_back(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


def test_blank_pipeline_marks_names_and_triggers_without_a_model():
    doc = blank_pipeline()("Daesh fighters were hit by US-led coalition air strikes.")
    assert {(s.text, s.label_) for s in doc.spans["actors"]} >= {("Daesh", "islamic-state"),
                                                                  ("US-led coalition", "us-led-coalition")}
    assert [(s.text, s.label_) for s in doc.spans["triggers"]] == [("air strikes", "AirStrike")]


# --- IRIs


@given(st.text(min_size=1, max_size=40))
def test_minted_iris_are_stable_percent_encoded_and_invertible(key):
    iri = mint_iri("event", key)
    assert iri == mint_iri("event", key)
    assert iri.value.startswith(ID_NS + "event/")
    assert all(c.isascii() and not c.isspace() and c not in '<>"{}|\\^`' for c in iri.value)
    assert ref_of(iri.value) == "event/" + key


def test_minting_refuses_unknown_kinds():
    with pytest.raises(ValueError, match="expected one of"):
        mint_iri("thing", "x")


# --- the seeds, with the real model


@pytest.mark.model
def test_raqqa_air_strike_told_three_times_is_one_event_with_its_figures(nlp, seeds):
    record = _record(nlp, seeds["000"])
    strikes = [e for e in _events(record, "AirStrike") if e.place == "place/sy/raqqa" and e.date]
    assert len(strikes) == 1
    strike = strikes[0]
    assert strike.date.lexical() == "2014-11-25"  # "on Tuesday", published Wednesday 2014-11-26
    assert "actor/syrian-government" in strike.agents and "actor/islamic-state" in strike.targets
    assert [c.killed for c in strike.casualties] == [95]
    assert len(strike.evidence) >= 2  # headline and lead at least


@pytest.mark.model
def test_conflicting_figures_of_other_reports_and_the_september_strikes_stay_apart(nlp, seeds):
    record = _record(nlp, seeds["001"])
    by_date = {e.date.lexical(): e for e in _events(record, "AirStrike") if e.date}
    assert [(c.killed, c.civilians, c.qualifier) for c in by_date["2014-11-25"].casualties] == [(63, 36, "at least")]
    assert by_date["2014-11-25"].casualties[0].reported_by == "actor/sohr"
    assert [(c.killed, c.civilians) for c in by_date["2014-09-06"].casualties] == [(53, 31)]


@pytest.mark.model
def test_the_coalition_that_voiced_scepticism_is_the_syrian_national_coalition(nlp, seeds):
    article = seeds["000"]
    doc = nlp(article.text)
    line = next(l for l in article.text.splitlines() if l.startswith("But the coalition has voiced"))
    start = article.text.index(line)
    mentions = [r for r in read_doc(doc) if isinstance(r, EntityMention) and start <= r.start < start + len(line)]
    assert [m.ref for m in mentions] == ["actor/syrian-national-coalition"]


@pytest.mark.model
def test_last_may_is_a_month_before_publication(nlp, seeds):
    record = _record(nlp, seeds["003"])
    captures = [e for e in _events(record, "Capture") if e.place == "place/sy/palmyra" and "actor/islamic-state" in e.agents]
    assert [e.date.lexical() for e in captures if e.date] == ["2015-05"]  # IS overran it "last May" (not the
    # army's recapture of hilltops around it, told that day)
    assert "actor/islamic-state" in captures[0].agents


@pytest.mark.model
def test_executions_count_their_victims(nlp, seeds):
    record = _record(nlp, seeds["002"])
    executions = {e.place: e for e in _events(record, "Execution")}
    stoning = executions["place/sy/deir-ez-zor"]  # told in the province: on the node it shares with its city
    assert stoning.date.lexical() == "2014-11-25" and stoning.casualties[0].killed == 2
    assert stoning.place_precision == executions["place/sy/homs"].place_precision == "governorate"
    assert executions["place/sy/homs"].casualties[0].killed == 1
    assert all("actor/islamic-state" in e.agents for e in executions.values())


@pytest.mark.model
def test_a_day_earlier_and_a_neighbourhood_in_the_city(nlp, seeds):
    record = _record(nlp, seeds["004"])
    battles = {e.date.lexical(): e for e in _events(record, "Battle") if e.date}
    assert battles["2017-10-13"].agents == ("actor/islamic-state",)
    assert "actor/sdf" in battles["2017-10-13"].targets
    capture = next(e for e in _events(record, "Capture") if e.date and e.date.lexical() == "2017-10-14")
    assert capture.place.startswith("place/sy/raqqa/") and "actor/sdf" in capture.agents
    nahda = next(e for e in record.entities if e.ref == capture.place)
    assert nahda.parent == "place/sy/raqqa" and "Nahda" in nahda.label


@pytest.mark.model
def test_meetings_have_both_sides(nlp, seeds):
    record = _record(nlp, seeds["000"])
    sochi = next(e for e in _events(record, "DiplomaticMeeting") if e.place == "place/ru/sochi")
    assert sochi.date.lexical() == "2014-11-26"  # "today"
    assert {"person/vladimir-putin", "actor/syrian-government"} <= set(sochi.participants)


@pytest.mark.model
@pytest.mark.parametrize("text", [
    "The regime denied that its warplanes bombed the hospital in Aleppo on Monday.",
    "Russia threatened to launch air strikes on Idlib next week.",
    "The opposition said it would attend peace talks in Geneva if the regime stopped its attacks.",
    "They were expected to discuss a possible relaunch of peace talks with the opposition.",
])
def test_denials_threats_plans_and_hypotheticals_are_not_events(nlp, text):
    article = Article(id="t", text=text, published=dt.date(2016, 5, 4))
    assert article_record(article, nlp(text), "h").events == ()


@pytest.mark.model
def test_page_furniture_never_reaches_the_graph(nlp, seeds):
    record = _record(nlp, seeds["002"])
    labels = {e.label for e in record.entities} | {surface for _, surface in record.aliases}
    assert not labels & {"Gatwick", "London", "Malaysia", "Kelantan", "Jacinda Ardern", "Zhuhai", "Saudi Arabia"}


@pytest.mark.model
def test_every_event_mention_points_into_the_article(nlp, seeds):
    for article in seeds.values():
        for record in read_doc(nlp(article.text)):
            if isinstance(record, EventMention):
                s = record.sentence
                assert article.text[s.start:s.end] == s.text


@pytest.mark.model
def test_undated_events_merge_across_articles_only_when_reported_in_the_same_days(tmp_path):
    import json

    from kg.build import build as run_build
    from kg.store import GraphStore

    text = "Syrian regime air strikes on the town of Douma killed at least 12 civilians, the Syrian Observatory said."
    records = [{"id": "a", "text": text, "published": "2016-01-05"},
               {"id": "b", "text": text, "published": "2016-01-06"},  # the next day: the same strikes
               {"id": "c", "text": text, "published": "2016-07-20"}]  # months later: other strikes
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    store = GraphStore.open(None)
    run_build([source], store=store, progress=False)
    rows = store.query("""SELECT ?e (GROUP_CONCAT(DISTINCT ?id; separator=",") AS ?ids) WHERE {
        ?e a ckg:AirStrike ; ckg:reportedIn/dcterms:identifier ?id } GROUP BY ?e""")
    assert sorted(sorted(r["ids"].value.split(",")) for r in rows) == [["a", "b"], ["c"]]
