"""The audit pipeline: targets -> sources -> normalize -> facts -> lineage -> evaluate -> Report."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from licensecheck.engine import lineage
from licensecheck.engine.evaluate import Env, evaluate, unused_waivers
from licensecheck.engine.lineage import Node
from licensecheck.licenses import obligations
from licensecheck.licenses.facts import KnowledgeBase
from licensecheck.licenses.normalize import normalize_declared, normalize_license_string
from licensecheck.model import (
    Finding,
    LineageEntry,
    ModelMeta,
    ModelReport,
    Publisher,
    Reference,
    Report,
    Resolution,
)
from licensecheck.policy.document import Clarify, Nested, Policy, subjects
from licensecheck.sources.local import read_local
from licensecheck.sources.targets import is_local as is_local_target

Fetch = Callable[[list[str]], dict[str, ModelMeta]]


@dataclass(frozen=True)
class Sources:
    """Where metadata comes from: models (Hub/cache or lockfile), datasets, and the locked entries."""

    models: Fetch
    datasets: Fetch | None = None
    locked_license: Callable[[str], tuple[object, object, object] | None] | None = None


def _matches(patterns: Sequence[str], meta: ModelMeta) -> bool:
    names = {meta.id.lower()}
    if meta.repo_id:
        names.add(meta.repo_id.lower())
        if meta.revision:
            names.add(f"{meta.repo_id}@{meta.revision}".lower())
    return any(fnmatch.fnmatch(n, p.lower()) for p in patterns for n in names)


def resolve_license(meta: ModelMeta, kb: KnowledgeBase, clarify: Sequence[Clarify]) -> Resolution:
    for c in clarify:
        if _matches(c.models, meta):
            res = normalize_license_string(c.license, kb)
            return replace(res, method="clarify", detail=f"{c.reason} ({c.pos[0]}:{c.pos[1]})")
    if meta.error is not None:
        return Resolution(None, "unresolved", detail=meta.error.message)
    return normalize_declared(meta.declared, meta.license_text, kb)


def publisher_of(meta: ModelMeta, kb: KnowledgeBase) -> Publisher:
    org = meta.author or (meta.repo_id.split("/", 1)[0] if meta.repo_id else None)
    found = kb.publisher(org)
    if found is not None:
        return found
    return Publisher(org=org or "(local)", known=False)


def make_node(meta: ModelMeta, kb: KnowledgeBase, clarify: Sequence[Clarify]) -> Node:
    return Node(meta, resolve_license(meta, kb, clarify), publisher_of(meta, kb))


def _uses_subject(policies: Sequence[Policy], subject: str) -> bool:
    def walk(cond: object) -> bool:
        if isinstance(cond, Nested):
            return cond.subject == subject or walk(cond.cond)
        items = getattr(cond, "items", ())
        return any(walk(c) for c in items) or subject in subjects(cond)  # type: ignore[arg-type]

    return any(walk(r.when) for p in policies for r in p.rules)


def _lineage_entries(node: Node, depth: int) -> tuple[LineageEntry, ...]:
    out = []
    level = [(node, 1)]
    seen = {node.key}
    while level:
        nxt = []
        for current, d in level:
            for base in current.bases:
                if base.key in seen or d > depth:
                    continue
                seen.add(base.key)
                bid = base.meta.repo_id or base.meta.id
                rel = lineage.relation_of(current.meta, bid)
                err = base.meta.error.kind if base.meta.error else None
                out.append(LineageEntry(bid, rel, base.resolution.expression, d, err))
                nxt.append((base, d + 1))
        level = nxt
    return tuple(out)


def _changed(meta: ModelMeta, sources: Sources, postures: Sequence[str]) -> list[Finding]:
    if sources.locked_license is None or meta.error is not None or meta.source == "local" or not meta.repo_id:
        return []
    locked = sources.locked_license(meta.repo_id)
    if locked is None:
        return []
    d = meta.declared
    now = (list(d.license) if isinstance(d.license, tuple) else d.license, d.license_name, d.license_link)
    if tuple(now) == tuple(locked):
        return []
    msg = f"licence changed since the lockfile: {_fmt(locked)} -> {_fmt(tuple(now))}"
    return [Finding("license-changed", p, "warn", msg, rule="license-changed") for p in postures]


def _fmt(fields: tuple[object, ...]) -> str:
    lic, name, link = fields
    return str(lic) + (f" ({name})" if name else "") + (f" <{link}>" if link and not name else "")


def sources_for(
    lockfile: Path, *, offline: bool, use_cache: bool = True, refresh: bool = False, jobs: int = 16
) -> tuple[Sources, Any]:
    """The lockfile alone (offline), or the Hub compared with the lockfile; and the Hub source, if any."""
    from licensecheck.sources.lockfile import Lockfile

    lock = Lockfile.read(lockfile)
    if offline:
        return Sources(models=lock.fetch_many, datasets=lock.fetch_datasets), None
    from licensecheck.sources.hub import HubSource

    hub = HubSource(jobs=jobs, use_cache=use_cache, refresh=refresh, progress=True)
    return Sources(
        models=hub.fetch_many, datasets=hub.fetch_datasets, locked_license=lock.license_fields
    ), hub


class Audit:
    """Judges targets batch by batch (so huge audits can stream) and remembers which waivers were used."""

    def __init__(
        self,
        policies: Sequence[Policy],
        kb: KnowledgeBase,
        sources: Sources,
        env: Env,
        *,
        clarify: Sequence[Clarify] = (),
        references: dict[str, list[Reference]] | None = None,
    ) -> None:
        self.policies = list(policies)
        self.kb = kb
        self.sources = sources
        self.env = env
        self.references = references or {}
        self.clarify = [*clarify, *(c for p in policies for c in p.clarify)]
        self.names = tuple(p.name for p in policies)
        self.depth = max((p.settings.depth for p in policies if p.settings.follow), default=0)
        self.datasets = sources.datasets is not None and _uses_subject(policies, "datasets")
        self.licence_postures = [p.name for p in policies if p.licence_lineage]
        self.used: dict[str, set[int]] = {p.name: set() for p in policies}

    def _node(self, meta: ModelMeta) -> Node:
        return make_node(meta, self.kb, self.clarify)

    def judge(self, targets: Sequence[str]) -> list[ModelReport]:
        """Every target of one batch under every policy (lineage and datasets fetched per batch)."""
        hub_targets = [t for t in targets if not is_local_target(t)]
        fetched = self.sources.models(list(dict.fromkeys(hub_targets))) if hub_targets else {}
        nodes = [self._node(read_local(t) if is_local_target(t) else fetched[t]) for t in targets]
        if self.depth:
            models = self.sources.models
            lineage.build(nodes, lambda ids: {i: self._node(m) for i, m in models(ids).items()}, self.depth)
        if self.datasets and self.sources.datasets is not None:
            _attach_datasets(nodes, self.sources.datasets, self.kb, self.clarify)
        return [self._report(target, node) for target, node in zip(targets, nodes, strict=True)]

    def _report(self, target: str, node: Node) -> ModelReport:
        verdicts, findings, trace, hits = evaluate(self.policies, node, self.env)
        extra = _changed(node.meta, self.sources, self.names)
        if extra:
            findings = [*findings, *extra]
            for f in extra:
                if verdicts[f.posture] == "allow":
                    verdicts[f.posture] = "warn"
        for name, idx in hits.items():
            self.used[name] |= idx
        report = ModelReport(
            node.meta,
            node.resolution,
            node.publisher,
            _lineage_entries(node, self.depth),
            tuple(self.references.get(target, ())),
            verdicts,
            tuple(findings),
            tuple(trace),
        )
        return replace(report, obligations=obligations.for_model(report, self.licence_postures, self.kb))

    def notices(self) -> tuple[Finding, ...]:
        """Run-level findings (unused waivers); complete once every batch has been judged."""
        return tuple(unused_waivers(self.policies, self.used))


def run(
    targets: Sequence[str],
    policies: Sequence[Policy],
    kb: KnowledgeBase,
    sources: Sources,
    env: Env,
    *,
    clarify: Sequence[Clarify] = (),
    references: dict[str, list[Reference]] | None = None,
) -> Report:
    """Judge every target under every policy."""
    audit = Audit(policies, kb, sources, env, clarify=clarify, references=references)
    models = audit.judge(targets)
    return Report(audit.names, tuple(models), audit.notices())


def _attach_datasets(nodes: list[Node], fetch: Fetch, kb: KnowledgeBase, clar: Sequence[Clarify]) -> None:
    wanted = sorted({d for n in nodes if n.resolved for d in n.meta.datasets})
    if not wanted:
        return
    got = {k.lower(): make_node(m, kb, clar) for k, m in fetch(wanted).items()}
    for n in nodes:
        n.datasets = [got[d.lower()] for d in n.meta.datasets if d.lower() in got]
