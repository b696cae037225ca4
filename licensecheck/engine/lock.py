"""`licensecheck lock`: resolve models, their base models and datasets online; write the lockfile."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from licensecheck.errors import ConfigError
from licensecheck.licenses import facts
from licensecheck.sources.hub import HubSource
from licensecheck.sources.lockfile import Lockfile, entry_from_meta

LINEAGE_DEPTH = 5


def lock_models(targets: Sequence[str], path: Path, hub: HubSource) -> tuple[int, list[tuple[str, str]]]:
    """Fetch `targets` and their ancestry; update the lockfile atomically. Returns (count, errors)."""
    lock = Lockfile.read(path)
    errors: list[tuple[str, str]] = []
    seen: set[str] = set()
    frontier = list(dict.fromkeys(targets))
    count = 0
    datasets: set[str] = set()
    for _ in range(LINEAGE_DEPTH + 1):
        todo = [t for t in frontier if t.split("@", 1)[0].lower() not in seen]
        if not todo:
            break
        nxt: list[str] = []
        for target, meta in hub.fetch_many(todo).items():
            repo_id = meta.repo_id or target.split("@", 1)[0]
            seen.add(repo_id.lower())
            if meta.error is not None:
                errors.append((target, f"{meta.error.kind}: {meta.error.message}"))
                continue
            existing = next((k for k in lock.models if k.lower() == repo_id.lower()), None)
            if existing is not None:
                del lock.models[existing]
            lock.models[repo_id] = entry_from_meta(meta)
            count += 1
            nxt.extend(meta.base_models)
            datasets.update(meta.datasets)
        frontier = nxt
    if datasets:
        for target, meta in hub.fetch_datasets(sorted(datasets)).items():
            if meta.error is None:
                lock.datasets[meta.repo_id or target] = entry_from_meta(meta)
    try:
        lock.write(facts.load().version)
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot write the lockfile ({exc.strerror or exc}); the previous file is unchanged"
        ) from None
    return count, errors
