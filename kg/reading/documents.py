"""One-article files: plain text and Markdown (``.txt``, ``.md``) and web pages (``.html``, ``.htm``)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kg.furniture import cut_at_sentence, parse_date
from kg.limits import FILE_BYTES_PER_CHAR, RAW_CHARS_PER_CHAR, display_path, file_id
from kg.reading.decoding import read_whole_bytes, read_whole_text
from kg.reading.records import FileMeta, Item, ReadOptions, ReadProblem, make_article, one_line

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")

# Bounded lengths (a link's text, its address, an emphasised phrase), so that an opening mark that is never
# closed costs a bounded scan, not one to the end of the text: quadratic time on "[[[[..." or "*a *a *a ...".
_MD_IMAGE = re.compile(r"!\[[^\]]{0,500}\]\([^)]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\]]{1,500})\]\([^)]{0,2000}\)")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M)
_MD_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|\*|_)(?=\S)(.{1,500}?)(?<=\S)\1(?!\w)")


def _strip_markdown(text: str) -> str:
    """Markdown markup off: headings, emphasis, links (their text kept), images."""
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub(r"\1", text)
    return _MD_EMPHASIS.sub(r"\2", text)


def _file_key(path: Path) -> tuple[str, ReadProblem | None]:
    """The id of a file's article, and a warning if the file's name is not UTF-8."""
    key = file_id(path)
    if key == path.stem:
        return key, None
    return key, ReadProblem(display_path(path), f"file name is not UTF-8; the article's id is {key!r}", skipped=False)


def read_text_file(path: Path, meta: FileMeta | None, options: ReadOptions) -> Iterator[Item]:
    problems: list[ReadProblem] = []
    text = read_whole_text(path, problems, FILE_BYTES_PER_CHAR * options.max_chars)
    yield from problems
    if text is None:
        return
    key, warning = _file_key(path)
    if warning:
        yield warning
    if path.suffix.lower() == ".md":
        text = _strip_markdown(cut_at_sentence(text, RAW_CHARS_PER_CHAR * options.max_chars))
    meta = meta or FileMeta("")
    yield from make_article(key, text, display_path(path), options, title=meta.title, published=meta.published,
                            source=meta.source, url=meta.url)


def read_html_file(path: Path, meta: FileMeta | None, options: ReadOptions) -> Iterator[Item]:
    problems: list[ReadProblem] = []
    data = read_whole_bytes(path, problems, FILE_BYTES_PER_CHAR * options.max_chars)
    yield from problems
    if data is None:
        return
    import trafilatura  # slow to import: only when there is HTML to read

    try:
        page = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, include_tables=False, include_images=False,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        yield ReadProblem(display_path(path), f"cannot parse the HTML: {one_line(exc)}")
        return
    if page is None or isinstance(page, dict) or not (page.text or "").strip():  # a dict only if asked for
        yield ReadProblem(display_path(path), "no article text found in the HTML page")
        return
    key, warning = _file_key(path)
    if warning:
        yield warning
    meta = meta or FileMeta("")
    page_date = parse_date(page.date) if page.date else None
    yield from make_article(key, page.text or "", display_path(path), options, title=meta.title or page.title,
                            published=meta.published or page_date, source=meta.source or page.sitename,
                            url=meta.url or page.url)
