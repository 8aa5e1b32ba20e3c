"""Load check of `kg serve` on 127.0.0.1: latency, concurrency, and how fast a runaway query is stopped.

    python bench/serve_load.py                      # a generated store of 20,000 quads
    python bench/serve_load.py --store kg-store     # a real one (not in use by another process)

Every loop is bounded; traffic goes only to the server this script starts on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.serve import make_server

TRIVIAL = "ASK {}"
SMALL = "SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT 10"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def generated_store(path: Path, quads: int) -> Path:
    """A store of ``quads`` quads spread over 100 named graphs."""
    store = ox.Store(str(path))
    store.extend([ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                          ox.Literal(i), ox.NamedNode(f"http://example.org/graph/{i % 100}")) for i in range(quads)])
    store.flush()
    del store
    return path


def get(url: str, sparql: str) -> tuple[int, float]:
    """(status, seconds) of one GET query."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url + "sparql?query=" + quote(sparql), timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as err:
        err.read()
        status = err.code
    return status, time.perf_counter() - started


def latency(url: str, sparql: str, n: int) -> dict[str, float]:
    """Median and 95th percentile of ``n`` sequential queries, in milliseconds."""
    times = sorted(get(url, sparql)[1] * 1000 for _ in range(n))
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * (n - 1))], 2)}


def concurrent(url: str, sparql: str, clients: int, per_client: int) -> dict[str, float]:
    """Throughput and statuses of ``clients`` threads each sending ``per_client`` queries."""
    statuses: list[int] = []
    barrier = threading.Barrier(clients)

    def client() -> None:
        barrier.wait()
        statuses.extend(get(url, sparql)[0] for _ in range(per_client))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"clients": clients, "queries": len(statuses), "ok": statuses.count(200),
            "queries_per_s": round(len(statuses) / elapsed, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="store to serve (default: a generated one)")
    parser.add_argument("--quads", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or generated_store(Path(tmp) / "store", args.quads)
        started = time.perf_counter()
        server = make_server(store, port=0, workers=args.workers, timeout=args.timeout)
        report: dict[str, object] = {"startup_s": round(time.perf_counter() - started, 2), "workers": args.workers}
        server.start()
        try:
            url = server.url
            get(url, TRIVIAL)
            report["trivial"] = latency(url, TRIVIAL, 200)
            report["select_limit_10"] = latency(url, SMALL, 200)
            report["concurrent_16x20"] = concurrent(url, SMALL, 16, 20)
            status, seconds = get(url, SLOW)
            report["runaway"] = {"status": status, "answered_after_s": round(seconds, 2), "limit_s": args.timeout}
            report["trivial_right_after"] = {"status": get(url, TRIVIAL)[0]}
        finally:
            server.close()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
