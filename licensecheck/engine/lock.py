"""`licensecheck lock`: resolve models, their base models and datasets online; write the lockfile."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from licensecheck.engine import lineage
from licensecheck.engine.lineage import Node
from licensecheck.errors import ConfigError
from licensecheck.licenses import facts
from licensecheck.model import ModelMeta, Publisher, Resolution
from licensecheck.sources.card import MAX_REFS
from licensecheck.sources.hub import HubSource
from licensecheck.sources.lockfile import entry_from_meta, updating

# Follow as deep as any policy may look (settings.lineage.depth is at most lineage.MAX_DEPTH), so that an
# offline check sees every base a policy follows, and the cut beyond it.
LINEAGE_DEPTH = lineage.MAX_DEPTH


def _node(meta: ModelMeta, kb: facts.KnowledgeBase, read: dict[int, ModelMeta]) -> Node:
    """A node whose bases include the documented ones (so they are locked too); `read` keeps the card
    as read, which is what the lockfile records (the table is applied again when it is checked)."""
    node = Node(
        lineage.with_documented_lineage(meta, kb),
        Resolution(None, "lock"),
        Publisher(org=meta.repo_id or meta.id, known=False),
    )
    read[id(node)] = meta
    return node


def lock_models(targets: Sequence[str], path: Path, hub: HubSource) -> tuple[int, list[tuple[str, str]]]:
    """Fetch `targets` and their ancestry (the same walk judging uses); merge them into the lockfile under
    its lock and write it atomically. Returns (models locked, errors)."""
    wanted = list(dict.fromkeys(targets))
    kb = facts.load()
    read: dict[int, ModelMeta] = {}
    roots = [_node(m, kb, read) for m in hub.fetch_many(wanted).values()]
    lineage.build(
        roots, lambda ids: {i: _node(m, kb, read) for i, m in hub.fetch_many(ids).items()}, LINEAGE_DEPTH
    )
    models: dict[str, dict[str, Any]] = {}
    errors: list[tuple[str, str]] = []
    seen: set[int] = set()
    datasets: dict[str, None] = {}
    for root in roots:
        for node in [root, *(a for a, _, _ in lineage.walk(root, LINEAGE_DEPTH).ancestors)]:
            if id(node) in seen:
                continue
            seen.add(id(node))
            meta = node.meta
            if meta.error is not None:
                errors.append((meta.id, f"{meta.error.kind}: {meta.error.message}"))
                continue
            models[meta.repo_id or meta.id.split("@", 1)[0]] = entry_from_meta(read.get(id(node), meta))
            datasets.update(dict.fromkeys(meta.datasets[:MAX_REFS]))
    found: dict[str, dict[str, Any]] = {}
    if datasets:
        for target, meta in hub.fetch_datasets(sorted(datasets)).items():
            if meta.error is None:
                found[meta.repo_id or target] = entry_from_meta(meta)
    try:
        with updating(path) as lock:
            lock.merge(models, found)
            lock.write(facts.load().version)
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot write the lockfile ({exc.strerror or exc}); the previous file is unchanged"
        ) from None
    return len(models), errors
