"""The on-disk metadata cache: one JSON file per repo and revision, TTL for unpinned revisions."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import time
from pathlib import Path
from typing import Any

from ..atomic import write_text

DEFAULT_TTL = 24 * 3600
PINNED = re.compile(r"^[0-9a-f]{40}\Z")
FORMAT = 1


def default_dir() -> Path:
    env = os.environ.get("LICENSECHECK_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("licensecheck"))


class Cache:
    """Entries are lockfile-shaped dicts. Unreadable or corrupt files count as misses; writes may fail."""

    def __init__(self, root: Path | None = None, ttl: float = DEFAULT_TTL, endpoint: str = "") -> None:
        self.root = root or default_dir()
        self.ttl = ttl
        # Which Hub answered is part of every key: a mirror's answer is never served for another Hub.
        self.endpoint = endpoint.rstrip("/").lower()

    def _path(self, kind: str, repo_id: str, revision: str | None) -> Path:
        key = f"{self.endpoint}|{kind}:{repo_id.lower()}@{revision or 'main'}"
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return self.root / kind / digest[:2] / f"{digest}.json"

    def get(self, kind: str, repo_id: str, revision: str | None) -> dict[str, Any] | None:
        path = self._path(kind, repo_id, revision)
        try:
            # O_NONBLOCK: opening a FIFO planted in the cache must not block; only regular files are read
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
            with os.fdopen(fd, "rb") as fh:
                if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                    return None
                raw = fh.read(32 * 1024 * 1024)
            doc = json.loads(raw)
        except (OSError, ValueError, RecursionError):  # RecursionError: absurdly nested JSON
            return None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("entry"), dict):
            return None
        stored_id = doc.get("repo_id")
        if not isinstance(stored_id, str) or stored_id.lower() != repo_id.lower():
            return None
        pinned = bool(revision and PINNED.match(revision))
        stored = doc.get("stored")
        if not pinned and (not isinstance(stored, (int, float)) or time.time() - stored > self.ttl):
            return None
        entry: dict[str, Any] = doc["entry"]
        return entry

    def put(self, kind: str, repo_id: str, revision: str | None, entry: dict[str, Any]) -> None:
        doc = {
            "format": FORMAT,
            "repo_id": repo_id,
            "revision": revision,
            "stored": time.time(),
            "entry": entry,
        }
        with contextlib.suppress(OSError):  # a read-only cache must not stop the run
            write_text(self._path(kind, repo_id, revision), json.dumps(doc, sort_keys=True))

    def clear(self) -> None:
        with contextlib.suppress(OSError):
            for p in self.root.rglob("*.json"):
                p.unlink()
