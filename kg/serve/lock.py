"""The store lock: the server holds RocksDB's writer lock (an fcntl lock on the store's ``LOCK`` file) without
opening the store for writing, so a ``kg build`` on the same store fails at once ("in use by another process")
instead of changing what the workers read (a read-only open beside a writer is undefined behaviour). Nothing in
the store directory changes while it is served. (A read-write ``pyoxigraph.Store(path)`` held "just for the lock"
would not do: RocksDB compacts on open, rewriting and deleting data files.) The lock is POSIX-only, like the
project.
"""
from __future__ import annotations

import fcntl
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from kg.errors import StoreError

_HELD: set[Path] = set()  # stores this process serves: POSIX locks do not exclude their own process
_HELD_GUARD = threading.Lock()


@dataclass
class StoreLock:
    """RocksDB's own write lock on a store, held without opening the store for writing."""

    path: Path
    fd: int | None

    def release(self) -> None:
        """Let writers in again."""
        with _HELD_GUARD:
            if self.fd is not None:
                os.close(self.fd)  # closing the descriptor drops the fcntl lock
                self.fd = None
                _HELD.discard(self.path)


def hold_lock(store_path: Path) -> StoreLock:
    """Take the store's writer lock, as RocksDB does (an fcntl write lock on its ``LOCK`` file).

    A ``kg build`` (or any read-write open) then fails at once with "in use by
    another process", while read-only opens go on working. Opening the store
    read-write just to hold the lock would not do: RocksDB starts compacting on
    open, rewriting and deleting files under the read-only workers.

    Raises:
        StoreError: no store there, or another process (or server) holds it.
    """
    lock_file = store_path / "LOCK"
    if not store_path.is_dir() or not lock_file.is_file():
        raise StoreError(f"{store_path}: no store there; build one first with `kg build PATH --store {store_path}`")
    in_use = StoreError(f"{store_path}: the store is in use by another process (a running `kg build` or "
                        f"`kg serve`); stop it, or serve a copy")
    key = store_path.resolve()
    with _HELD_GUARD:
        if key in _HELD:
            raise in_use
        fd = os.open(lock_file, os.O_RDWR | os.O_CLOEXEC)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise in_use from None
        _HELD.add(key)
    return StoreLock(key, fd)


__all__ = ["StoreLock", "hold_lock"]
