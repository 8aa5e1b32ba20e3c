"""Reading articles from files, folders, CSV, JSON(L) and HTML, and removing page furniture."""
from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.furniture import clean_text, clean_title, dateline_date, normalise, parse_date
from kg.reading import Article, ReadProblem, read_articles
from kg.reading import records as records_module

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data" / "reading"
FAKES = Path("/work/shared/corpora/fa-kes/FA-KES-Dataset.csv")


# --------------------------------------------------------------------------- helpers and fixtures


def articles(items: list[Article | ReadProblem]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def problems(items: list[Article | ReadProblem]) -> list[ReadProblem]:
    return [item for item in items if isinstance(item, ReadProblem)]


def read(*paths: Path | str, **options) -> list[Article | ReadProblem]:
    return list(read_articles(list(paths), **options))


def seed(stem: str) -> Path:
    return next(SEEDS.glob(f"{stem}_*.txt"))


@pytest.fixture(scope="module")
def seed_articles() -> dict[str, Article]:
    """The five seeds read from their .txt files alone (no metadata.csv)."""
    items = read(*sorted(SEEDS.glob("*.txt")))
    assert problems(items) == []
    return {a.id[:3]: a for a in articles(items)}


@pytest.fixture
def good_txt(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text("Rebels shell Damascus suburb\nMortar shells hit a suburb of Damascus on Tuesday, "
                    "killing six people, state media said.\n", encoding="utf-8")
    return path


def lines_with_sentences(path: Path, stop: str | None = None) -> list[str]:
    """The lines of a file that hold full sentences (long, ending in sentence punctuation), up to ``stop``."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = " ".join(line.split())
        if stop is not None and line == stop:
            break
        if len(line.split()) >= 12 and line.endswith((".", '"', "”", ")")):
            found.append(line)
    return found


# --------------------------------------------------------------------------- the seeds


def test_seed_folder_gives_five_articles_with_metadata() -> None:
    items = read(SEEDS)
    assert problems(items) == []
    by_id = {a.id: a for a in articles(items)}
    assert sorted(by_id) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    a000 = by_id[seed("000").stem]
    assert a000.published == dt.date(2014, 11, 26)
    assert a000.source == "NDTV (AFP)"
    assert a000.title == "Syria Regime Raids on Islamic State 'Capital' Kill 95"
    assert a000.origin == str(seed("000"))
    a003 = by_id[seed("003").stem]
    assert a003.published == dt.date(2016, 3, 24)  # metadata, not the caption's 19 May 2015
    a001 = by_id[seed("001").stem]
    assert a001.title is None and a001.source == "AFP" and a001.published == dt.date(2014, 11, 26)
    assert all(a.url is None for a in by_id.values())


@pytest.mark.parametrize(("stem", "date"), [("000", dt.date(2014, 11, 26)), ("002", dt.date(2014, 11, 26)),
                                            ("004", dt.date(2017, 10, 14)), ("003", None), ("001", None)])
def test_seed_dates_from_text_alone(seed_articles: dict[str, Article], stem: str, date: dt.date | None) -> None:
    assert seed_articles[stem].published == date


def test_seed_003_caption_date_is_not_the_publication_date(seed_articles: dict[str, Article]) -> None:
    a003 = seed_articles["003"]
    assert a003.published is None
    assert "19 May 2015" in a003.text  # the caption stays, but it is no dateline
    assert "Damascus / AFP" not in a003.text
    assert "Leave a Reply" not in a003.text and "Send this to a friend" not in a003.text
    assert a003.text.splitlines()[-1].endswith("this also applies to the Russians and Americans,” he said.")
    assert a003.title == "Syria regime troops fight IS militants at gates of Palmyra"


def test_seed_002_headline_list_after_the_article_is_gone(seed_articles: dict[str, Article]) -> None:
    text = seed_articles["002"].text
    for word in ("Gatwick", "Malaysia", "Kelantan", "Jacinda Ardern", "COP29", "scamdemic", "Netanyahu",
                 "Wed Nov 26 2014", "AFP PHOTO"):
        assert word not in text
    assert ("Elsewhere in Syria, IS members stoned to death two men in the eastern province of Deir Ezzor on "
            "Tuesday after claiming they were gay, the Observatory said.") in text
    assert text.splitlines()[-1] == ('And in the central province of Homs the jihadists beheaded a member of the '
                                     'minority Ismaili community, accusing him of "apostasy," said the monitoring '
                                     'group.')
    assert "- Regime strikes 'most feared' -" in text  # a subhead inside the article


def test_seed_000_site_footer_and_advert_are_gone(seed_articles: dict[str, Article]) -> None:
    a000 = seed_articles["000"]
    for word in ("NDTV.com", "JioSaavn", "India", "Advertisement", "Follow us", "This Article is From"):
        assert word not in a000.text
    assert "Staunch Russian support" in a000.text and "Scenes of carnage" in a000.text
    assert a000.text.splitlines()[0] == a000.title == "Syria Regime Raids on Islamic State 'Capital' Kill 95"
    assert a000.text.splitlines()[-1].startswith("However, the militants sill hold large areas")


def test_seed_001_credit_and_related_story_are_gone(seed_articles: dict[str, Article]) -> None:
    text = seed_articles["001"].text
    assert "AFP/Beirut" not in text and "Related Story" not in text
    assert text.startswith("A string of Syrian regime air strikes")


def test_seed_004_dateline_signoff_and_broken_line(seed_articles: dict[str, Article]) -> None:
    a004 = seed_articles["004"]
    assert "by admin" not in a004.text and "14/10/2017" not in a004.text
    assert not a004.text.rstrip().endswith("AP")
    assert "have delayed the final push to regain control of the city." in a004.text  # rejoined across a break
    assert a004.title == "US-backed forces in Syria say 'final' battle for Raqqa is on"


@pytest.mark.parametrize("stem", ["000", "001", "002", "003", "004"])
def test_seeds_lose_no_sentence_of_the_article(seed_articles: dict[str, Article], stem: str) -> None:
    text = " ".join(seed_articles[stem].text.split())
    stop = "AFP" if stem == "002" else None  # what follows the sign-off in 002 is other stories
    expected = lines_with_sentences(seed(stem), stop)
    assert expected
    for line in expected:
        if stem == "004" and line.endswith("of the"):
            continue
        assert line in text


# --------------------------------------------------------------------------- text files and folders


def test_txt_file_id_title_and_normalised_text(tmp_path: Path) -> None:
    path = tmp_path / "raqa-raids.txt"
    path.write_bytes(b"Syria raids kill 95 in Raqa   \r\n\r\n\r\n\r\nAir strikes killed 95 people.\t \r\n"
                     b"The monitor said most were civilians.\r\n")
    [article] = read(path)
    assert article.id == "raqa-raids"
    assert article.title == "Syria raids kill 95 in Raqa"
    assert article.text == ("Syria raids kill 95 in Raqa\n\nAir strikes killed 95 people.\n"
                            "The monitor said most were civilians.")
    assert article.origin == str(path) and article.published is None


def test_txt_without_headline_has_no_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Air strikes killed 95 people in Raqa, a monitor said.\nMost were civilians, it added.\n")
    [article] = read(path)
    assert article.title is None


def test_markdown_file(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Rebels seize Idlib\n\n![map](map.png)\nRebels seized **Idlib** on Saturday, "
                    "[the Observatory](https://example.org/sohr) said.\n", encoding="utf-8")
    [article] = read(path)
    assert article.id == "note" and article.title == "Rebels seize Idlib"
    assert article.text == "Rebels seize Idlib\n\nRebels seized Idlib on Saturday, the Observatory said."
    path.write_text("Fighters of the al_Nusra_Front *withdrew* from __Saraqeb__ on Monday, a monitor said.\n")
    [article] = read(path)
    assert article.text == "Fighters of the al_Nusra_Front withdrew from Saraqeb on Monday, a monitor said."


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Shelling hit Homs on Monday, killing three people.\n")
    (tmp_path / "a.md").write_text("Air strikes hit Raqa on Tuesday, a monitor said.\n")
    (tmp_path / "c.txt").write_text("Clashes erupted in Deraa on Friday, residents said.\n")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4\0\0")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\0\0")
    (tmp_path / ".hidden.txt").write_text("Secret draft about Aleppo, not an article.\n")
    items = read(tmp_path)
    assert problems(items) == []
    assert [a.origin for a in articles(items)] == [str(tmp_path / "a.md"), str(tmp_path / "b" / "z.txt"),
                                                   str(tmp_path / "c.txt")]


def test_empty_folder_is_a_problem(tmp_path: Path) -> None:
    [problem] = read(tmp_path)
    assert problem.origin == str(tmp_path) and "no article files" in problem.message and problem.skipped


def test_metadata_csv_fills_gaps_and_falls_back_to_text(tmp_path: Path) -> None:
    (tmp_path / "a1.txt").write_text("Raids kill 95 in Raqa\nWed Nov 26 2014\nAir strikes killed 95 people "
                                     "in Raqa, a monitor said.\n")
    (tmp_path / "a2.txt").write_text("Raids kill 63 in Raqa\nThis Article is From Nov 27, 2014\nAir strikes "
                                     "killed 63 people, a monitor said.\n")
    (tmp_path / "a3.txt").write_text("Air strikes killed 12 people in Idlib, a monitor said.\n")
    (tmp_path / "metadata.csv").write_text(
        "id,published,source,title,url\n"
        "a1,,AFP,,https://example.org/a1\n"
        "a2,26th of Smarch,Reuters,Custom title,\n"
        "a3,2015-01-02,,,\n"
        "a9,2015-01-03,AP,,\n", encoding="utf-8")
    items = read(tmp_path)
    by_id = {a.id: a for a in articles(items)}
    assert set(by_id) == {"a1", "a2", "a3"}
    assert by_id["a1"].published == dt.date(2014, 11, 26)  # empty in metadata: from the text
    assert by_id["a1"].source == "AFP" and by_id["a1"].url == "https://example.org/a1"
    assert by_id["a1"].title == "Raids kill 95 in Raqa"
    assert by_id["a2"].published == dt.date(2014, 11, 27)  # bad in metadata: from the text
    assert by_id["a2"].title == "Custom title"
    assert by_id["a3"].published == dt.date(2015, 1, 2) and by_id["a3"].source is None
    found = problems(items)
    bad_date = [p for p in found if "26th of Smarch" in p.message]
    assert len(bad_date) == 1 and not bad_date[0].skipped
    assert bad_date[0].origin == f"{tmp_path / 'metadata.csv'}:3"
    unused = [p for p in found if "'a9'" in p.message]
    assert len(unused) == 1 and not unused[0].skipped
    assert len(found) == 2


def test_metadata_in_a_parent_folder_applies_below(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.txt").write_text("Air strikes killed 12 people in Idlib, a monitor said.\n")
    (tmp_path / "metadata.csv").write_text("id,published,source,title,url\nx,2016-05-01,SANA,,\n")
    [article] = read(tmp_path)
    assert article.published == dt.date(2016, 5, 1) and article.source == "SANA"


def test_metadata_csv_given_as_a_file_is_a_problem() -> None:
    [problem] = read(SEEDS / "metadata.csv")
    assert "metadata" in problem.message and "folder" in problem.message and problem.skipped


# --------------------------------------------------------------------------- JSON and JSONL


def test_jsonl_records_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"id": "j1", "text": "Air strikes killed 95 people in Raqa, a monitor said.",
                    "title": "Raqa raids", "published": "2014-11-26", "source": "AFP",
                    "url": "https://example.org/j1"}),
        "{not json",
        json.dumps({"id": "j2", "text": "   "}),
        "",
        json.dumps({"text": "A record without an id, about shelling in Homs."}),
        json.dumps(["a", "list"]),
        json.dumps({"id": 7, "text": "Clashes in Deraa killed four, residents said.", "published": "someday"}),
        json.dumps({"id": "j8", "text": ["not", "a", "string"]}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read(path)
    found = {p.origin: p for p in problems(items)}
    j1, j7 = articles(items)
    assert (j1.id, j1.title, j1.published, j1.source, j1.url) == ("j1", "Raqa raids", dt.date(2014, 11, 26), "AFP",
                                                                  "https://example.org/j1")
    assert j1.origin == f"{path}:1"
    assert j7.id == "7" and j7.published is None and j7.origin == f"{path}:7"
    assert "not valid JSON" in found[f"{path}:2"].message
    assert "has no text" in found[f"{path}:3"].message
    assert "no id" in found[f"{path}:5"].message
    assert "JSON object" in found[f"{path}:6"].message
    assert "bad date 'someday'" in found[f"{path}:7"].message and not found[f"{path}:7"].skipped
    assert "should be a string" in found[f"{path}:8"].message
    assert all(p.skipped for origin, p in found.items() if origin != f"{path}:7")


def test_json_list_and_single_record(tmp_path: Path) -> None:
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"id": "m1", "text": "Shelling killed three in Homs, a monitor said."},
                                {"id": "m2"}]))
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "o1", "text": "Fighting raged in Aleppo on Monday, activists said.",
                               "published": "Nov 26, 2014"}))
    items = read(many, one)
    m1, o1 = articles(items)
    assert m1.origin == f"{many}[0]" and o1.origin == str(one) and o1.published == dt.date(2014, 11, 26)
    [problem] = problems(items)
    assert problem.origin == f"{many}[1]" and "has no text" in problem.message


def test_malformed_json_file(tmp_path: Path, good_txt: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"id": "b1", "text": "x"},\n  {oops}]')
    items = read(path, good_txt)
    [problem] = problems(items)
    assert problem.origin == f"{path}:2" and "not valid JSON" in problem.message
    assert [a.id for a in articles(items)] == ["good"]


# --------------------------------------------------------------------------- CSV


def test_csv_with_our_column_names(tmp_path: Path) -> None:
    path = tmp_path / "ours.csv"
    path.write_text('id,title,text,published,source\nc1,Raqa raids,"Air strikes killed 95 people in Raqa.\n'
                    'Most were civilians, a monitor said.",2014-11-26,AFP\n', encoding="utf-8")
    [article] = read(path)
    assert (article.id, article.title, article.published, article.source) == ("c1", "Raqa raids",
                                                                              dt.date(2014, 11, 26), "AFP")
    assert article.text == "Air strikes killed 95 people in Raqa.\nMost were civilians, a monitor said."
    assert article.origin == f"{path}:2"


def test_csv_with_a_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("doc,body,day,outlet\nd1,Clashes killed four in Deraa on Friday.,14/10/2017,SANA\n"
                    "d2,Shelling hit Homs on Monday.,10/14/2017,AP\n")
    items = read(path, columns={"id": "doc", "text": "body", "published": "day", "source": "outlet"})
    assert problems(items) == []
    d1, d2 = articles(items)
    assert (d1.id, d1.published, d1.source) == ("d1", dt.date(2017, 10, 14), "SANA")
    assert d2.published == dt.date(2017, 10, 14)  # unambiguous either way round


def test_csv_of_unknown_layout_gives_one_clear_problem(tmp_path: Path, good_txt: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("doc,body\nd1,Clashes killed four in Deraa.\nd2,Shelling hit Homs.\n")
    items = read(path, good_txt)
    [problem] = problems(items)
    assert problem.origin == str(path) and problem.skipped
    for expected in ("id, text", "unit_id", "--columns", "doc, body"):
        assert expected in problem.message
    assert [a.id for a in articles(items)] == ["good"]


def test_csv_mapping_to_missing_columns_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("doc,body\nd1,Clashes killed four in Deraa.\n")
    [problem] = read(path, columns={"id": "doc", "text": "content"})
    assert "content" in problem.message and "doc, body" in problem.message


def test_columns_naming_an_unknown_field_raise_at_once() -> None:
    with pytest.raises(InputError, match="unknown field.*body.*valid fields: id, text"):
        read_articles([SEEDS], columns={"body": "text"})


def test_csv_malformed_rows_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text('id,text\nr1,Air strikes killed 95 in Raqa.\nr2,too,many,fields\nr3,\n'
                    ',Text without an id about Homs.\nr5,Shelling killed three in Homs.\nr6,"never closed\n')
    items = read(path)
    assert [a.id for a in articles(items)] == ["r1", "r5"]
    found = {p.origin: p.message for p in problems(items)}
    assert "expected 2 fields" in found[f"{path}:3"]
    assert "has no text" in found[f"{path}:4"]
    assert "no id" in found[f"{path}:5"]
    assert "malformed CSV" in found[f"{path}:7"]


def test_csv_with_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b'\xef\xbb\xbfid,text\r\ne1,"Shelling hit Homs on Monday.\r\nThree people were killed."\r\n')
    [article] = read(path)
    assert article.id == "e1" and article.text == "Shelling hit Homs on Monday.\nThree people were killed."


def test_columns_for_other_files_do_not_hide_the_fakes_layout(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("doc,body\nd1,Clashes killed four in Deraa on Friday.\n")
    items = read(other, DATA / "fakes_sample.csv", columns={"id": "doc", "text": "body"})
    assert problems(items) == []
    assert len(articles(items)) == 7


def test_csv_with_only_a_header(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("id,text\n")
    [problem] = read(path)
    assert "no records" in problem.message


# --------------------------------------------------------------------------- FA-KES


def test_fakes_rows_are_recognised_and_cleaned() -> None:
    items = read(DATA / "fakes_sample.csv")
    assert problems(items) == []
    by_id = {a.id: a for a in articles(items)}
    assert len(by_id) == 6
    nna = by_id["1914947530"]
    assert nna.published == dt.date(2017, 4, 5) and nna.source == "nna"  # M/D/YYYY
    assert nna.text.startswith("Syria attack symptoms consistent with nerve agent use WHO.")  # date cut
    assert not nna.text.endswith("REUTERS")
    assert not by_id["1923102821"].text.endswith("Read Also")
    reuters = by_id["1926479025"].text
    assert "Reporting by" not in reuters and "Thomson Reuters" not in reuters
    assert by_id["1924058036"].title == 'Outrage as Syria "chemical attack" kills dozens in rebel-held town'
    asharq = by_id["1918150027"].text
    assert "premier pan-Arab" not in asharq and "London" not in asharq
    assert asharq.endswith("in a walled-off parking lot guarded by regime troops.")
    assert "Hazem Sabbagh" not in by_id["1926478911"].text
    assert all(a.origin.startswith(str(DATA / "fakes_sample.csv") + ":") for a in by_id.values())


@pytest.mark.skipif(not FAKES.exists(), reason="the FA-KES corpus is not on this machine")
def test_whole_fakes_file() -> None:
    start = time.process_time()
    items = read(FAKES)
    elapsed = time.process_time() - start
    found = articles(items)
    assert len(found) == 804
    warnings = problems(items)
    assert warnings and all(not p.skipped and "duplicate id" in p.message for p in warnings)
    assert len({a.id for a in found}) == 804 - len(warnings)
    first = warnings[0]
    assert first.origin.startswith(f"{FAKES}:") and f"{FAKES}:" in first.message  # both origins named
    assert all(a.text and a.published for a in found)
    assert elapsed < 10
    texts = [a.text for a in found]
    for furniture in ("Our Standards:The Thomson Reuters Trust Principles", "Community standardsDiscussion",
                      "Subscribe to our Youtube channel", "Asharq Al-Awsat is the worlds premier"):
        assert not any(furniture in text for text in texts)
    assert not any(text.endswith(("Read Also", "- REUTERS", "--Reuters", "Twitter")) for text in texts)


# --------------------------------------------------------------------------- HTML


def test_html_page() -> None:
    [article] = read(DATA / "page.html")
    assert article.id == "page"
    assert article.title == "Syria regime troops fight IS militants at gates of Palmyra"
    assert article.published == dt.date(2016, 3, 24)
    assert article.url == "https://news.example.com/world/syria-palmyra-offensive"
    assert article.source == "The Daily Example"
    assert "Pro-government forces pushed a fierce bid to recapture Syria's ancient city of Palmyra" in article.text
    assert article.text.endswith('"The army is 300 metres from the entrance of Palmyra," a Syrian military '
                                 'source said.')
    for furniture in ("Kelantan", "Gatwick", "Jacinda", "Advertisement", "Follow us", "rights reserved",
                      "Log in", "Share this"):
        assert furniture not in article.text


def test_html_in_a_folder_with_metadata(tmp_path: Path) -> None:
    shutil.copy(DATA / "page.html", tmp_path / "palmyra.htm")
    (tmp_path / "metadata.csv").write_text("id,published,source,title,url\npalmyra,2016-03-25,AFP,,\n")
    [article] = read(tmp_path)
    assert article.published == dt.date(2016, 3, 25) and article.source == "AFP"
    assert article.url == "https://news.example.com/world/syria-palmyra-offensive"


def test_html_without_article_text(tmp_path: Path, good_txt: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>")
    items = read(path, good_txt)
    [problem] = problems(items)
    assert problem.origin == str(path) and "no article text" in problem.message
    assert len(articles(items)) == 1


# --------------------------------------------------------------------------- bad input


def test_each_bad_input_is_reported_and_the_rest_is_read(tmp_path: Path, good_txt: Path) -> None:
    missing = tmp_path / "missing.txt"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.jsonl"
    blank.write_bytes(b" \n\n")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02ELF\x00" * 20)
    unknown = tmp_path / "report.pdf"
    unknown.write_bytes(b"%PDF-1.4")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Clashes near the caf\u00e9 in Homs killed four people, residents said.\n".encode("latin-1"))
    items = read(missing, empty, good_txt, blank, binary, unknown, latin)
    found = {p.origin: p for p in problems(items)}
    assert found[str(missing)].message == "no such file or folder"
    assert found[str(empty)].message == "empty file"
    assert found[str(blank)].message == "empty file"
    assert "binary" in found[str(binary)].message
    assert "unsupported file type '.pdf'" in found[str(unknown)].message
    assert "not valid UTF-8" in found[str(latin)].message and not found[str(latin)].skipped
    assert all(found[str(p)].skipped for p in (missing, empty, blank, binary, unknown))
    good, latin_article = articles(items)
    assert good.id == "good"
    assert latin_article.id == "latin" and "caf\ufffd in Homs" in latin_article.text
    assert all(str(p).startswith(str(p.origin)) for p in found.values())
    assert all("\n" not in str(p) for p in found.values())


def test_text_that_is_all_furniture_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "menu.txt"
    path.write_text("Advertisement\nFollow us:\nHome | World | Sport\n")
    [problem] = read(path)
    assert "no article text" in problem.message and problem.skipped


def test_duplicate_ids_warn_and_the_later_one_follows(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = tmp_path / "one" / "a.txt"
    second = tmp_path / "two" / "a.txt"
    first.write_text("Shelling killed three in Homs, a monitor said.\n")
    second.write_text("Shelling killed four in Homs, a monitor said.\n")
    items = read(tmp_path)
    assert [type(item) for item in items] == [Article, ReadProblem, Article]
    warning = items[1]
    assert warning.origin == str(second) and str(first) in warning.message and not warning.skipped
    assert "four" in items[2].text


def test_a_single_path_is_accepted(good_txt: Path) -> None:
    assert [a.id for a in read_articles(good_txt)] == ["good"]


# --------------------------------------------------------------------------- furniture on texts nobody tuned for

WORDPRESS_PAGE = """Home | World | Middle East | Opinion
Skip to content
Syrian army retakes town near Hama from rebels
By Sarah Example, Associated Press
Published 10:07 AM EST, Wed November 26, 2014
Share this:
BEIRUT (AP) — Syrian government forces backed by Russian airstrikes recaptured a strategic town in central \
Hama province on Wednesday, state media said.
The army's advance came after a week of heavy fighting with insurgents led by the Nusra Front.

Fighting around Morek
The Syrian Observatory for Human Rights said at least 40 fighters were killed on both sides.
Rebels had seized the town in September.
Reporting by Lisa Example; Editing by Tom Example
Share this:
Twitter
Facebook
Like this:
Related
Turkish lira slides to record low against the dollar
November 25, 2014
In "Business"
Kenyan runners dominate New York marathon
November 24, 2014
In "Sport"
"""


def test_blog_page_furniture() -> None:
    cleaned = clean_text(WORDPRESS_PAGE)
    assert cleaned.title == "Syrian army retakes town near Hama from rebels"
    assert cleaned.published == dt.date(2014, 11, 26)
    assert cleaned.text.splitlines()[0] == cleaned.title
    assert cleaned.text.splitlines()[-1] == "Rebels had seized the town in September."
    assert "Fighting around Morek" in cleaned.text
    for furniture in ("Home |", "Skip to", "Sarah Example", "Published", "Share this", "Lisa Example",
                      "Kenyan", "Turkish lira", "Facebook"):
        assert furniture not in cleaned.text


def test_other_stories_without_a_signoff_are_cut_but_own_questions_are_kept() -> None:
    teasers = "\n".join(f"{head}\n{teaser}" for head, teaser in [
        ("Brazil vetoes forest law changes", "The president rejected the bill on Tuesday after protests."),
        ("Floods displace thousands in Bangladesh", "Monsoon rains have swollen rivers across the delta."),
        ("Oil prices climb after OPEC meeting", "Benchmark crude rose two percent in Asian trading."),
    ])
    questions = ("Who is fighting in Raqqa?\nThe Syrian Democratic Forces are an alliance led by the Kurdish YPG.\n"
                 "Why does Raqqa matter?\nIt has been the de facto capital of the Islamic State group since 2014.\n"
                 "What happens next?\nCommanders in Raqqa expect weeks of street fighting before the city falls.")
    body = ("Kurdish forces advance on Raqqa\nUS-backed Kurdish and Arab fighters entered the western edge of Raqqa "
            "on Monday, a monitor said.\nThe assault caps a seven-month campaign by the Syrian Democratic Forces.\n")
    with_teasers = clean_text(body + teasers).text
    assert "Bangladesh" not in with_teasers and "OPEC" not in with_teasers and "Brazil" not in with_teasers
    assert with_teasers.endswith("campaign by the Syrian Democratic Forces.")
    with_questions = clean_text(body + questions).text
    assert with_questions.endswith("before the city falls.") and "Why does Raqqa matter?" in with_questions


def test_one_paragraph_text_with_leading_dateline_and_trailing_credits() -> None:
    cleaned = clean_text("Published February 18 2015 The Syrian army captured villages north of Aleppo, a "
                         "monitor said. Fighting blocked a supply route. Reporting by Jane Example; Editing by "
                         "John Example Our Standards:The Example Trust Principles.")
    assert cleaned.published == dt.date(2015, 2, 18)
    assert cleaned.text == ("The Syrian army captured villages north of Aleppo, a monitor said. Fighting blocked a "
                            "supply route.")


def test_trailing_related_block_is_cut_only_when_nothing_follows() -> None:
    body = "Rebels shelled Aleppo on Monday, killing five people, the Observatory said. " * 6
    related = ("Related Syrian Forces Deny Killing Civilians Talks in Moscow Can Begin January 22 Tags Syria "
               "Community standardsDiscussion")
    assert clean_text(body + related).text == body.strip()
    kept = body + "Related Coverage Aid convoy reaches Homs. " + body
    assert clean_text(kept).text == kept.strip()


def test_publisher_blurb_is_cut_for_its_own_outlet_only() -> None:
    body = "Six people were killed in a blast in Aleppo on Wednesday, state television said. "
    blurb = "Example Times is the region's leading daily newspaper, founded in London in 1978."
    assert clean_text(body + blurb, source="Example Times").text == body.strip()
    assert "London" in clean_text(body + blurb, source="Other Daily").text
    attributed = body + "Example Times could not verify the report, its correspondent said."
    assert clean_text(attributed, source="Example Times").text == attributed.strip()


# --------------------------------------------------------------------------- dates and small helpers


@pytest.mark.parametrize(("line", "date"), [
    ("This Article is From Nov 26, 2014", dt.date(2014, 11, 26)),
    ("Wed Nov 26 2014", dt.date(2014, 11, 26)),
    ("14/10/2017 04:35 by admin", dt.date(2017, 10, 14)),
    ("Wednesday 26 November 2014 10:07", dt.date(2014, 11, 26)),
    ("Updated: 26.11.2014 | 10:07 GMT", dt.date(2014, 11, 26)),
    ("Published 2014-11-26", dt.date(2014, 11, 26)),
    ("04/05/2017 04:35", None),  # day and month could be swapped
    ("Syria, 19 May 2015.", None),
    ("The army retook Palmyra, which IS had seized on 21 May 2015, after weeks of fighting", None),
    ("31/02/2017", None),
])
def test_dateline_date(line: str, date: dt.date | None) -> None:
    assert dateline_date(line) == date


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)),
       st.sampled_from(["%a %b %d %Y", "This Article is From %b %d, %Y", "%A %d %B %Y %H:%M", "%d %B %Y",
                        "%B %d, %Y", "%Y-%m-%d", "%d.%m.%Y", "Published %b %d %Y %H:%M GMT", "%d/%m/%Y by admin"]))
def test_datelines_in_many_styles_give_their_date(date: dt.date, style: str) -> None:
    line = dt.datetime.combine(date, dt.time(10, 7)).strftime(style)
    unambiguous = "/" not in style or date.day > 12 or date.day == date.month
    assert dateline_date(line) == (date if unambiguous else None)
    if not any(label in style for label in ("This", "Published", "admin")):  # parse_date takes bare dates only
        assert parse_date(line, order="DMY") == date


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)))
def test_numeric_dates_need_an_order_only_when_ambiguous(date: dt.date) -> None:
    day_first = f"{date.day}/{date.month}/{date.year}"
    month_first = f"{date.month}/{date.day}/{date.year}"
    assert parse_date(day_first, order="DMY") == date
    assert parse_date(month_first, order="MDY") == date
    expected = date if date.day > 12 or date.day == date.month else None
    assert parse_date(day_first) == expected


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_clean_text_never_fails_and_normalises(text: str) -> None:
    cleaned = clean_text(text)
    assert len(cleaned.text) <= len(text)  # never longer: a text within --max-chars is never cut (kg.reading)
    assert "\r" not in cleaned.text
    assert all(line == line.strip() for line in cleaned.text.split("\n"))
    assert "\n\n\n" not in cleaned.text


def test_clean_title_and_normalise() -> None:
    assert clean_title("title: ISIL Kills over 50 in Central Syria") == "ISIL Kills over 50 in Central Syria"
    assert clean_title("   ") is None
    assert normalise("a\r\nb\rc  \n\n\n\nd") == "a\nb\nc\n\nd"


def test_fakes_sample_is_the_real_header() -> None:
    with (DATA / "fakes_sample.csv").open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == ["unit_id", "article_title", "article_content", "source", "date",
                                       "location", "labels"]


# ---------------------------------------------------------------------- records the caller already holds


def test_a_record_the_caller_holds_is_unchanged_and_not_cleaned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recs = tmp_path / "recs.jsonl"
    records = [{"id": "a1", "text": "Shelling of Homs killed 3 people.", "published": "2016-02-30"},
               {"id": "a2", "text": "Clashes in Aleppo killed 9 fighters.", "title": "Clashes"}]
    recs.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    first = [item for item in read_articles([recs]) if isinstance(item, Article)]
    digests = {a.id: a.input_digest for a in first}
    assert len(digests) == 2 and all(len(d) == 64 for d in digests.values())
    cleaned: list[str] = []
    real_clean = records_module.clean_text
    monkeypatch.setattr(records_module, "clean_text", lambda text, **k: cleaned.append(text) or real_clean(text, **k))
    asked: list[tuple[str, str]] = []

    def holds_a1(key: str, digest: str) -> bool:
        asked.append((key, digest))
        return key == "a1" and digest == digests["a1"]

    items = list(read_articles([recs], known=holds_a1))
    assert asked == list(digests.items())
    assert [type(item).__name__ for item in items] == ["ReadProblem", "Unchanged", "Article"]
    assert "bad date" in items[0].message  # the warnings about a held record's fields are still given
    assert (items[1].id, items[1].origin) == ("a1", f"{recs}:1")
    assert cleaned == [records[1]["text"]]  # only the record the caller does not hold
    assert items[2] == first[1]


def test_the_input_digest_follows_every_field_and_a_limit_that_cuts(tmp_path: Path) -> None:
    recs = tmp_path / "recs.jsonl"

    def digest(record: dict[str, str], max_chars: int = 1000) -> str:
        recs.write_text(json.dumps(record) + "\n", encoding="utf-8")
        article, = [a for a in read_articles([recs], max_chars=max_chars) if isinstance(a, Article)]
        return article.input_digest

    base = {"id": "a1", "text": "Shelling of Homs killed 3 people. Clashes went on in Aleppo.\n"}
    digests = [digest(base), digest(base, max_chars=40), digest(base, max_chars=41), digest({**base, "id": "a2"}),
               digest({**base, "text": base["text"] + " "}),
               *(digest({**base, field: value}) for field, value in (
                   ("title", "Homs"), ("source", "AFP"), ("url", "https://example.org/a1"), ("published", "2016-02-03")))]
    assert len(set(digests)) == len(digests)  # each change of the record, or of a limit that cuts it, is another input
    assert digest(base) == digests[0] == digest(base, max_chars=len(base["text"]))  # a limit that does not cut: the same


def test_a_held_record_longer_than_the_limit_is_cut_again_with_its_warning(tmp_path: Path) -> None:
    recs = tmp_path / "recs.jsonl"
    text = " ".join(f"Shelling of Homs killed {n} people." for n in range(40))
    recs.write_text(json.dumps({"id": "a1", "text": text}) + "\n", encoding="utf-8")
    items = list(read_articles([recs], max_chars=200, known=lambda key, digest: True))
    assert [type(item).__name__ for item in items] == ["ReadProblem", "Article"]
    assert "cut to" in items[0].message
