"""The explorer in a real browser: Debian's headless Chromium driven by selenium over ``kg serve`` on the seeds.

Needs ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them) and selenium (the test extra); skipped, with
a message saying which is missing, where they are not. What it checks: the page loads with no request leaving
127.0.0.1 and no error in the console; the map has markers for the seeds' places, the timeline the seeds' dated
events, the network the seeds' actors; a filter (typed, or in the URL, or brushed on the timeline) narrows all
three to the events ``kg query events`` gives for it; and the event card of the Raqqa air strikes of 2014-11-25
lists its three articles and its figures side by side (95; 63 with 36 civilians).

Screenshots go to the folder ``$KG_SCREENSHOTS`` names (made if missing), else to ``screenshots/`` in the
test's temporary folder; the path is printed (``pytest -s``). ``KG_SLOW_TESTS=1`` also runs the page on FA-KES
(a build of about 80 s) and checks it redraws each view within a second.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg import KnowledgeGraph
from kg.serve import SparqlServer, make_server

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
RAQQA_STRIKE = "event/airstrike/sy/raqqa/2014-11-25/syrian-government"
FAKES = ROOT.parent / "shared" / "corpora" / "fa-kes" / "FA-KES-Dataset.csv"
WAIT = 30  # seconds for the page to be ready

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:  # pragma: no cover - the test extra brings it
    webdriver = None  # type: ignore[assignment]

_missing = [name for name, there in (("chromium", CHROMIUM), ("chromium-driver (chromedriver)", DRIVER),
                                     ("selenium", webdriver)) if not there]
if _missing:
    pytestmark = [pytestmark, pytest.mark.skip(reason=f"no {', '.join(_missing)}: the explorer's browser tests need "
                                                      "Debian's chromium and chromium-driver and selenium "
                                                      "(apt-get install chromium chromium-driver; .ci/run does)")]


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ["KG_SCREENSHOTS"]) if os.environ.get("KG_SCREENSHOTS") else \
        tmp_path_factory.mktemp("explorer") / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nexplorer screenshots: {folder}")
    return folder


def serve(store: Path) -> SparqlServer:
    server = make_server(store, port=0, workers=2)
    server.start()
    return server


@pytest.fixture(scope="module")
def server(seeds_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    store = tmp_path_factory.mktemp("served") / "store"
    shutil.copytree(seeds_store, store)  # serving locks the store: not the shared one
    server = serve(store)
    yield server
    server.close()


@pytest.fixture(scope="module")
def graph(seeds_store: Path) -> Iterator[KnowledgeGraph]:
    with KnowledgeGraph.open(seeds_store, read_only=True) as graph:
        yield graph


def chrome() -> Any:
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1600,1000", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-default-apps",
                     # a name that is not 127.0.0.1 resolves to nothing: a request that would leave fails here
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=options)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = chrome()
    yield driver
    driver.quit()


class Page:
    """The explorer in the browser, at one URL."""

    def __init__(self, driver: Any, server: SparqlServer) -> None:
        self.driver = driver
        self.server = server

    def open(self, query: str = "") -> Page:
        self.driver.get_log("browser")  # drop what earlier pages logged
        self.driver.get_log("performance")
        self.driver.get(self.server.url + query)
        self.wait("return window.kgExplorer && (window.kgExplorer.ready || window.kgExplorer.error)")
        assert self.js("return window.kgExplorer.error || null") is None
        self.settle()
        return self

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def wait(self, script: str, seconds: float = WAIT) -> Any:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = self.js(script)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"waited {seconds} s for: {script}")

    def settle(self) -> None:
        """Wait for two animation frames: whatever the last change drew is on the screen."""
        self.driver.execute_async_script(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))")
        time.sleep(0.3)

    def steady(self, selector: str) -> Any:
        """The element ``selector`` finds, once it has stopped moving (the timeline settles its window late)."""
        element, rect = None, None
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            element = self.driver.find_element(By.CSS_SELECTOR, selector)
            if element.rect == rect:
                return element
            rect = element.rect
            time.sleep(0.4)
        raise AssertionError(f"{selector} kept moving")

    def shown(self) -> set[str]:
        return set(self.js("return kgExplorer.shown.map(e => e.key)"))

    def markers(self) -> set[str]:
        return set(self.js("return kgExplorer.map.shown"))

    def timeline(self) -> set[str]:
        return set(self.js("return kgExplorer.timeline.shownEvents()"))

    def network(self) -> set[str]:
        return set(self.js("return kgExplorer.network.shownActors()"))

    def requests(self) -> list[str]:
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
            elif message["method"] == "Network.webSocketCreated":
                urls.append(message["params"]["url"])
        return urls

    def errors(self) -> list[str]:
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def key(iri: str) -> str:
    return iri.removeprefix("https://w3id.org/conflict-kg/id/")


def keys(events: list[Any]) -> set[str]:
    return {key(e.iri) for e in events}


def placed(graph: KnowledgeGraph, events: list[Any]) -> set[str]:
    """The places (keys) with coordinates among those of ``events``."""
    located = {row["place"] for row in graph.query("places") if row["lat"] is not None}
    place_of = {row["event"]: row["place"] for row in graph.query("event_summaries")}
    return {key(place) for e in events if (place := place_of.get(e.iri)) in located}


def actors_of(graph: KnowledgeGraph, events: list[Any]) -> set[str]:
    iris = {e.iri for e in events}
    return {r["name"] for r in graph.query("event_roles") if r["event"] in iris
            and r["role"] in ("agent", "target", "participant")}


def test_the_page_loads_offline_and_draws_the_seeds(browser: Any, server: SparqlServer, graph: KnowledgeGraph,
                                                     shots: Path) -> None:
    page = Page(browser, server).open()
    everything = graph.events()
    requests = page.requests()
    assert requests and all(url.startswith(server.url) or url.startswith("data:") for url in requests), \
        [url for url in requests if not url.startswith(server.url)]
    assert page.errors() == []
    assert page.shown() == keys(everything) and len(everything) == 23
    assert page.markers() == placed(graph, everything) and len(page.markers()) == 8
    assert page.js("return document.querySelectorAll('#map .kg-marker, #map .kg-cluster').length") > 0
    dated = keys([e for e in everything if e.date])
    assert page.timeline() == dated and len(dated) == 22
    drawn = page.js("return [...document.querySelectorAll('#timeline .vis-item.vis-point, #timeline .vis-item.vis-range')]"
                    ".map(item => item.textContent)")  # those of the rows scrolled into view
    assert drawn and "Raqqa" in drawn and len(drawn) <= len(dated)
    assert page.network() == actors_of(graph, everything) and {"Islamic State", "Syrian government", "Russia"} <= page.network()
    assert page.js("return document.querySelectorAll('#unplaced li').length") == 2  # al-Nahda (in Raqqa), Switzerland
    assert "in Raqqa" in page.js("return document.querySelector('#unplaced li[data-place=\"place/sy/raqqa/nahda\"]').textContent")
    browser.save_screenshot(str(shots / "explorer.png"))


def test_a_typed_filter_narrows_all_three_and_goes_into_the_url(browser: Any, server: SparqlServer,
                                                                 graph: KnowledgeGraph, shots: Path) -> None:
    page = Page(browser, server).open()
    before = (page.markers(), page.timeline(), page.network())
    box = browser.find_element(By.ID, "f-actor")
    box.send_keys("Islamic State", Keys.TAB)
    page.wait("return location.search.includes('actor=actor/islamic-state')")
    page.settle()
    expected = graph.events(actor="Islamic State")
    assert page.shown() == keys(expected)
    assert page.markers() == placed(graph, expected) and page.markers() < before[0]
    assert page.timeline() == keys([e for e in expected if e.date]) and page.timeline() < before[1]
    assert page.network() == actors_of(graph, expected) and page.network() < before[2]
    assert "kg query events -p actor=actor/islamic-state" in page.js("return document.getElementById('as-query').textContent")
    assert page.errors() == []
    browser.save_screenshot(str(shots / "explorer-islamic-state.png"))


@pytest.mark.parametrize(("query", "bindings"), [
    ("?place=place/sy/raqqa", {"place": "Raqqa"}),  # the city and its governorate, with the places inside (al-Nahda)
    ("?type=AirStrike&since=2014&until=2014-12", {"type": "AirStrike", "since": "2014", "until": "2014-12"}),
    ("?since=2015-05&until=2016", {"since": "2015-05", "until": "2016"}),
])
def test_a_shared_url_gives_what_the_events_query_gives(browser: Any, server: SparqlServer, graph: KnowledgeGraph,
                                                        query: str, bindings: dict[str, str]) -> None:
    page = Page(browser, server).open(query)
    expected = graph.events(**bindings)
    assert expected and page.shown() == keys(expected)
    assert page.markers() == placed(graph, expected)
    assert page.timeline() == keys([e for e in expected if e.date])
    assert page.network() == actors_of(graph, expected)
    assert page.errors() == []


def test_brushing_a_period_on_the_timeline_filters_the_map_and_the_network(browser: Any, server: SparqlServer,
                                                                           graph: KnowledgeGraph, shots: Path) -> None:
    page = Page(browser, server).open()
    strip = browser.find_element(By.ID, "overview")
    width = strip.size["width"]
    x2014, x2015 = page.js("const t = kgExplorer.timeline, w = arguments[0];"
                           "return [t.x(Date.UTC(2014, 0, 1), w), t.x(Date.UTC(2015, 0, 1), w)]", width)
    ActionChains(browser).move_to_element_with_offset(strip, int(x2014 - width / 2) + 2, 0).click_and_hold() \
        .move_by_offset(int((x2015 - x2014) / 2), 0).move_by_offset(int((x2015 - x2014) / 2) - 6, 0).release().perform()
    page.wait("return location.search.includes('since=2014')")
    page.settle()
    since, until = page.js("return [kgExplorer.state.since, kgExplorer.state.until]")
    assert since.startswith("2014-01") and until.startswith("2014-12"), (since, until)
    expected = graph.events(since=since, until=until)
    assert page.shown() == keys(expected) and expected
    assert page.markers() == placed(graph, expected) and page.network() == actors_of(graph, expected)
    browser.save_screenshot(str(shots / "explorer-2014.png"))
    ActionChains(browser).move_to_element_with_offset(strip, 0, 0).click().perform()  # a click clears the period
    page.wait("return !location.search.includes('since=')")
    assert page.shown() == keys(graph.events())


def test_the_card_of_the_raqqa_air_strikes_lists_its_articles_and_figures(browser: Any, server: SparqlServer,
                                                                          shots: Path) -> None:
    page = Page(browser, server).open("?type=AirStrike&since=2014-11-25&until=2014-11-25")
    assert page.timeline() == {RAQQA_STRIKE}
    opened = "return !document.getElementById('card').hidden && document.querySelector('#card .articles')"
    for attempt in range(3):  # on a loaded machine the timeline may still move an item as it is clicked: again
        item = page.steady("#timeline .vis-item.vis-point")  # the one air strike of that day
        ActionChains(browser).move_to_element(item).click().perform()
        try:
            page.wait(opened, seconds=WAIT if attempt == 2 else WAIT / 3)
            break
        except AssertionError:
            if attempt == 2:
                raise
    assert RAQQA_STRIKE in page.js("return location.search")
    card = browser.find_element(By.ID, "card")
    articles = [a.get_attribute("data-article") for a in card.find_elements(By.CSS_SELECTOR, ".articles > li")]
    assert sorted(articles) == ["000_e19785c479a03bb6", "001_20f5972022af204a", "002_fddf2a81c958b812"]
    figures = {f.get_attribute("data-article"): f.text for f in card.find_elements(By.CSS_SELECTOR, ".figure")}
    assert figures.keys() == set(articles)
    assert figures["000_e19785c479a03bb6"].startswith("95\n") and "civilians" not in figures["000_e19785c479a03bb6"]
    for article in ("001_20f5972022af204a", "002_fddf2a81c958b812"):
        assert figures[article].startswith("63\n") and "36 civilians" in figures[article]
        assert "Syrian Observatory for Human Rights" in figures[article]
    assert "The reports disagree: 95 · 63 killed." in card.text
    assert "Agent\nSyrian government" in card.text and "Target\nIslamic State" in card.text
    assert "Raqqa › Syria" in card.text  # one node for the city and the governorate of its name
    assert card.find_elements(By.CSS_SELECTOR, ".articles blockquote")  # the evidence sentences
    assert "^^" not in card.text and "XMLSchema" not in card.text
    assert page.errors() == []
    browser.save_screenshot(str(shots / "explorer-card.png"))


def test_the_sparql_page_is_one_click_away_and_shows_plain_values(browser: Any, server: SparqlServer,
                                                                  shots: Path) -> None:
    page = Page(browser, server).open()
    browser.find_element(By.LINK_TEXT, "SPARQL").click()
    page.wait("return document.querySelector('.CodeMirror') && document.querySelector('.yasqe_queryButton')")
    assert browser.current_url == server.url + "sparql"
    page.js("document.querySelector('.CodeMirror').CodeMirror.setValue("
            "'SELECT ?best WHERE { ?e ckg:killedBest ?best } ORDER BY DESC(?best) LIMIT 1')")
    page.js("document.querySelector('.yasqe_queryButton').click()")
    cells = page.wait("const cells = [...document.querySelectorAll('.yasr table tbody td')].map(t => t.textContent);"
                      "return cells.length ? cells : null")
    assert "63" in cells and not any("^^" in cell for cell in cells)
    assert page.errors() == []
    browser.save_screenshot(str(shots / "sparql.png"))
    browser.find_element(By.LINK_TEXT, "Explorer").click()
    page.wait("return window.kgExplorer && window.kgExplorer.ready")


@pytest.mark.skipif(os.environ.get("KG_SLOW_TESTS") != "1", reason="slow (a FA-KES build): KG_SLOW_TESTS=1 runs it")
@pytest.mark.skipif(not FAKES.is_file(), reason=f"no FA-KES corpus at {FAKES}")
def test_fakes_in_the_browser(tmp_path: Path, browser: Any, shots: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli
    store = tmp_path / "fakes"
    result = CliRunner().invoke(cli, ["build", str(FAKES), "--store", str(store), "--no-progress"])
    assert result.exit_code in (0, 3), result.output
    with KnowledgeGraph.open(store, read_only=True) as graph:
        everything, islamic_state = graph.events(), graph.events(actor="Islamic State")
    served = serve(store)
    try:
        page = Page(browser, served).open()
        assert page.shown() == keys(everything)
        page.js("kgExplorer.setFilters({actor: 'actor/islamic-state'})")
        page.settle()
        assert page.shown() == keys(islamic_state)
        page.js("kgExplorer.openEvent(kgExplorer.shown[0].key)")
        page.wait("return document.querySelector('#card .articles')")
        assert page.errors() == []
        assert all(url.startswith(served.url) or url.startswith("data:") for url in page.requests())
        slowest = page.js("const worst = {}; for (const r of kgExplorer.timings.records)"
                          " worst[r.view] = Math.max(worst[r.view] || 0, r.ms); return worst")
        assert all(ms < 1000 for ms in slowest.values()), slowest
        browser.save_screenshot(str(shots / "explorer-fakes.png"))
    finally:
        served.close()
