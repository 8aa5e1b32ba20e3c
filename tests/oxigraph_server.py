"""`oxigraph serve` on a free loopback port, for the tests of a store on a server and for bench/remote_store.py."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

OXIGRAPH = shutil.which("oxigraph", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
"""The `oxigraph` executable (the PyPI package `oxigraph`): beside this interpreter, else on PATH; None if neither."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OxigraphServer:
    """`oxigraph serve` on a free loopback port, over a store in ``folder`` (its log beside it); ``stop()`` ends it."""

    def __init__(self, folder: Path) -> None:
        assert OXIGRAPH is not None, "the `oxigraph` executable is not installed"
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = folder.with_name(folder.name + ".log")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen([OXIGRAPH, "serve", "--location", str(folder), "--bind",
                                             f"127.0.0.1:{port}"], stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=5).read()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"oxigraph serve did not start: {self.log.read_text(errors='replace')!r}")
                time.sleep(0.1)

    def stop(self) -> None:
        """End the server (SIGTERM) and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=30)
