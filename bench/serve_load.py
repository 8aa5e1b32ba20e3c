"""Load check of `kg serve` on 127.0.0.1: latency, concurrency, how fast a runaway query is stopped, and whether
slow queries starve fast ones.

    python bench/serve_load.py                      # a generated store of 20,000 quads
    python bench/serve_load.py --store kg-store     # a real one (not in use by another process)
    python bench/serve_load.py --mix                # only the slow-vs-fast mix, as a table (about 25 s)

The mix: ``--fast-clients`` clients (default 8) send small SELECTs one after another, first alone for
``--alone`` seconds, then for ``--seconds`` more while ``--slow-clients`` clients (default 4) send queries that
run past the time limit. Each client connects from an address of its own on the loopback network (127.0.0.2,
127.0.0.3, ...), as clients on other machines would; ``--one-address`` sends everything from 127.0.0.1. The
table gives the fast clients' answers per second, their latency (p50, p99, max), the longest stretch with no
fast answer at all, and the statuses each kind got.

Every loop is bounded; traffic goes only to the server this script starts on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import http.client
import json
import logging
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


def post(host: str, port: int, sparql: str, source: str) -> tuple[int, float]:
    """(status, seconds) of one form POST query sent from the address ``source``."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection(host, port, timeout=120, source_address=(source, 0))
    try:
        conn.request("POST", "/sparql", body="query=" + quote(sparql),
                     headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
        response = conn.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0  # the connection failed
    finally:
        conn.close()
    return status, time.perf_counter() - started


def mix(host: str, port: int, *, fast_clients: int, slow_clients: int, alone: float, seconds: float,
        one_address: bool) -> dict[str, dict[str, object]]:
    """The fast clients' throughput and latency alone, then beside the slow clients (see the module docstring)."""
    phase = {"name": "alone"}
    stop = threading.Event()
    fast: list[tuple[str, float, int, float]] = []  # (phase, finished at, status, seconds)
    slow: list[int] = []
    lock = threading.Lock()

    def address(n: int) -> str:
        return "127.0.0.1" if one_address else f"127.0.0.{n + 2}"

    def fast_client(n: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            current = phase["name"]
            status, took = post(host, port, f"SELECT ?s ?o WHERE {{ ?s ?p ?o }} LIMIT 10 OFFSET {(n * 997 + i) % 500}",
                                address(n))
            with lock:
                fast.append((current, time.perf_counter(), status, took))

    def slow_client(n: int) -> None:
        i = 0
        while not stop.is_set() and phase["name"] == "mixed":
            i += 1  # a different text each time, as an attacker would send: no cache can know it
            status, _ = post(host, port, f"{SLOW} # {n}-{i}", address(fast_clients + n))
            with lock:
                slow.append(status)

    threads = [threading.Thread(target=fast_client, args=(n,), daemon=True) for n in range(fast_clients)]
    for t in threads:
        t.start()
    marks = {"alone": time.perf_counter()}
    time.sleep(alone)
    phase["name"] = "mixed"
    marks["mixed"] = time.perf_counter()
    slow_threads = [threading.Thread(target=slow_client, args=(n,), daemon=True) for n in range(slow_clients)]
    for t in slow_threads:
        t.start()
    time.sleep(seconds)
    marks["end"] = time.perf_counter()
    stop.set()
    for t in threads + slow_threads:
        t.join(timeout=180)
    report: dict[str, dict[str, object]] = {}
    for name, start, end in (("alone", marks["alone"], marks["mixed"]), ("mixed", marks["mixed"], marks["end"])):
        rows = [r for r in fast if r[0] == name and r[1] <= end]
        ok = sorted(r[3] for r in rows if r[2] == 200)
        finished = sorted([start] + [r[1] for r in rows if r[2] == 200] + [end])
        statuses: dict[str, int] = {}
        for r in rows:
            statuses[str(r[2])] = statuses.get(str(r[2]), 0) + 1
        report[name] = {
            "fast_ok_per_s": round(len(ok) / (end - start), 1),
            "p50_ms": round(1000 * ok[len(ok) // 2]) if ok else None,
            "p99_ms": round(1000 * ok[min(len(ok) - 1, int(0.99 * len(ok)))]) if ok else None,
            "max_ms": round(1000 * ok[-1]) if ok else None,
            "longest_stall_s": round(max(b - a for a, b in zip(finished, finished[1:])), 2),
            "fast_statuses": statuses,
        }
    slow_statuses: dict[str, int] = {}
    for status in slow:
        slow_statuses[str(status)] = slow_statuses.get(str(status), 0) + 1
    report["mixed"]["slow_statuses"] = slow_statuses
    return report


def print_mix(label: str, report: dict[str, dict[str, object]]) -> None:
    """The mix as table rows, one per phase."""
    print(f"{'code':<10} {'phase':<28} {'fast ok/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} "
          f"{'stall s':>7}  fast statuses / slow statuses")
    for name, row in report.items():
        title = "fast clients alone" if name == "alone" else "fast beside slow clients"
        extra = json.dumps(row["fast_statuses"]) + (f" / {json.dumps(row['slow_statuses'])}" if "slow_statuses" in row
                                                    else "")
        print(f"{label:<10} {title:<28} {row['fast_ok_per_s']:>9} {row['p50_ms']!s:>7} {row['p99_ms']!s:>7} "
              f"{row['max_ms']!s:>7} {row['longest_stall_s']:>7}  {extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="store to serve (default: a generated one)")
    parser.add_argument("--quads", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--mix", action="store_true", help="run only the slow-vs-fast mix and print it as a table")
    parser.add_argument("--fast-clients", type=int, default=8)
    parser.add_argument("--slow-clients", type=int, default=4)
    parser.add_argument("--alone", type=float, default=5.0, help="seconds of fast clients alone")
    parser.add_argument("--seconds", type=float, default=15.0, help="seconds of fast and slow clients together")
    parser.add_argument("--one-address", action="store_true", help="every client on 127.0.0.1")
    parser.add_argument("--label", default="this code", help="the first column of the mix table")
    parser.add_argument("--json", type=Path, help="also write the mix report to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or generated_store(Path(tmp) / "store", args.quads)
        if args.mix:
            logging.getLogger("kg.serve").setLevel(logging.ERROR)  # not a line per stopped query
            server = make_server(store, port=0, workers=args.workers, timeout=args.timeout)
            server.start()
            try:
                host, port = server.server_address[:2]
                get(server.url, TRIVIAL)
                report = mix(str(host), int(port), fast_clients=args.fast_clients, slow_clients=args.slow_clients,
                             alone=args.alone, seconds=args.seconds, one_address=args.one_address)
            finally:
                server.close()
            print(f"{args.workers} workers, {args.timeout:g} s limit, {args.fast_clients} fast and "
                  f"{args.slow_clients} slow clients, {'one address' if args.one_address else 'an address each'}")
            print_mix(args.label, report)
            if args.json:
                args.json.write_text(json.dumps(report, indent=2))
            return
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
