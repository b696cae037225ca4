"""The audit pipeline: targets -> sources -> normalize -> facts -> lineage -> evaluate -> Report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from licensecheck.engine import lineage
from licensecheck.engine.evaluate import evaluate, unused_waivers
from licensecheck.engine.inputs import Fetch, Progress
from licensecheck.engine.inputs import Sources as Sources  # re-exported: policy tests build one
from licensecheck.engine.lineage import Node
from licensecheck.engine.match import Env
from licensecheck.engine.patterns import model_matches
from licensecheck.errors import LicensecheckError
from licensecheck.licenses import obligations
from licensecheck.licenses.declared import normalize_declared
from licensecheck.licenses.facts import KnowledgeBase
from licensecheck.licenses.normalize import normalize_license_string
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
from licensecheck.sources.card import MAX_REFS
from licensecheck.sources.local import read_local
from licensecheck.sources.targets import is_local
from licensecheck.values import Value


def resolve_license(meta: ModelMeta, kb: KnowledgeBase, clarify: Sequence[Clarify]) -> Resolution:
    for c in clarify:
        if model_matches(c.models, meta):
            res = normalize_license_string(c.license, kb)
            return replace(res, method="clarify", detail=f"{c.reason} ({c.pos[0]}:{c.pos[1]})")
    if meta.error is not None:
        return Resolution(None, "unresolved", detail=meta.error.message)
    return normalize_declared(meta.declared, meta.license_text, kb)


def publisher_of(meta: ModelMeta, kb: KnowledgeBase) -> Publisher:
    """The publisher is the repository's namespace: a lockfile or cache field cannot change it."""
    org = meta.repo_id.split("/", 1)[0] if meta.repo_id and "/" in meta.repo_id else meta.author
    found = kb.publisher(org)
    if found is not None:
        return found
    return Publisher(org=org or "(local)", known=False)


def make_node(meta: ModelMeta, kb: KnowledgeBase, clarify: Sequence[Clarify]) -> Node:
    meta = lineage.with_documented_lineage(meta, kb)
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
    for base, child, d in lineage.walk(node, depth).ancestors:
        bid = base.meta.repo_id or base.meta.id
        err = base.meta.error.kind if base.meta.error else None
        out.append(
            LineageEntry(bid, lineage.relation_of(child.meta, bid), base.resolution.expression, d, err)
        )
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
    msg = (
        f"licence changed since the lockfile: {_fmt(locked)} -> {_fmt(tuple(now))}; review it, then run "
        "`licensecheck lock` to record it"
    )
    return [Finding("license-changed", p, "warn", msg, rule="license-changed") for p in postures]


def _fmt(fields: tuple[object, ...]) -> str:
    lic, name, link = fields
    return str(lic) + (f" ({name})" if name else "") + (f" <{link}>" if link and not name else "")


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

    def judge(self, targets: Sequence[str | ModelMeta]) -> list[ModelReport]:
        """Every target of one batch under every policy (lineage and datasets fetched per batch); a target
        may be metadata already read (an installed model from a cache or a store)."""
        hub_targets = [t for t in targets if isinstance(t, str) and not is_local(t)]
        fetched = self.sources.models(list(dict.fromkeys(hub_targets))) if hub_targets else {}

        def meta_of(t: str | ModelMeta) -> ModelMeta:
            if isinstance(t, ModelMeta):
                return t
            return read_local(t) if is_local(t) else fetched[t]

        metas = [meta_of(t) for t in targets]
        nodes = [self._node(m) for m in metas]
        if self.depth:
            models = self.sources.models
            lineage.build(nodes, lambda ids: {i: self._node(m) for i, m in models(ids).items()}, self.depth)
            lineage.inherit_deferred(nodes, self.kb)
        if self.datasets and self.sources.datasets is not None:
            _attach_datasets(nodes, self.sources.datasets, self.kb, self.clarify)
        return [self._report(meta.id, node) for meta, node in zip(metas, nodes, strict=True)]

    def _report(self, target: str, node: Node) -> ModelReport:
        changed = _changed(node.meta, self.sources, self.names)
        note = lineage.documented_note(node.meta)
        if note is not None:
            changed += [
                Finding("lineage-documented", p, "info", note, rule="lineage-documented") for p in self.names
            ]
        verdicts, findings, trace, hits = evaluate(self.policies, node, self.env, changed)
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
    wanted = sorted({d for n in nodes if n.resolved for d in n.meta.datasets[:MAX_REFS]})
    if not wanted:
        return
    got = {k.lower(): make_node(m, kb, clar) for k, m in fetch(wanted).items()}
    for n in nodes:
        n.datasets = [got[d.lower()] for d in n.meta.datasets[:MAX_REFS] if d.lower() in got]


# ---- the entry point: typed options in, a report out -----------------------------------------------
@dataclass(frozen=True, eq=False, repr=False)
class Options(Value):
    """Everything one audit needs to know; the CLI and `licensecheck.check()` both build one."""

    targets: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()  # built-in names or files; empty: the config's, else the defaults
    config: Path | None = None  # None: discovered from the working folder (when `discover_config`)
    discover_config: bool = True
    lockfile: Path | None = None  # None: the config's, else licensecheck.lock beside the config
    offline: bool = False  # HF_HUB_OFFLINE forces it too
    use_cache: bool = True
    refresh: bool = False
    jobs: int = 16
    uses: tuple[str, ...] = ()  # empty: the config's `use`
    author: str | None = None  # also audit every model of this Hub organisation
    references: tuple[tuple[str, tuple[Reference, ...]], ...] = ()  # (model, where `scan` found it)
    baseline: str | None = None  # a lockfile or a git ref: only models new or changed since can fail
    today: dt.date | None = None  # the date waivers expire against; None: today
    installed: bool = False  # also audit the user's own Hugging Face cache and Ollama store


class AuditRun:
    """One prepared audit: its config, lockfile and postures, and its models judged a batch at a time."""

    def __init__(self, options: Options, progress: Progress | None = None) -> None:
        from licensecheck.engine import inputs

        self.options = options
        self.config = inputs.load_config(options.config, discover=options.discover_config)
        policies = inputs.load_policies(options.policies, self.config)
        self.lockfile = inputs.lockfile_path(options.lockfile, self.config)
        offline = inputs.offline_forced(options.offline)
        if options.targets or not options.installed:
            self.targets = inputs.resolve_targets(options.targets, self.config, offline=offline)
        else:
            self.targets = []
        if options.installed:
            from licensecheck.sources.installed import installed_roots

            roots = [str(p) for p in installed_roots()]
            if not roots:
                raise LicensecheckError(
                    "--installed: no Hugging Face cache (HF_HUB_CACHE, HF_HOME/hub) and no Ollama store "
                    "(OLLAMA_MODELS, ~/.ollama/models) found"
                )
            self.targets += roots
        sources, self.hub = inputs.sources_for(
            self.lockfile,
            offline=offline,
            use_cache=options.use_cache,
            refresh=options.refresh,
            jobs=options.jobs,
            progress=progress,
        )
        if options.author and self.hub is None:
            raise LicensecheckError("--author lists models on the Hub and cannot run with --offline")
        if not self.targets and not options.author:
            raise LicensecheckError(
                "nothing to check: give targets (org/name, a model folder or a card .md), "
                "--author ORG, or `models:` in licensecheck.yaml"
            )
        kb = inputs.knowledge_base(self.config)
        env = Env(kb, options.today or dt.date.today(), options.uses or self.config.use)
        references = {model: list(refs) for model, refs in options.references}
        self.audit = Audit(policies, kb, sources, env, clarify=self.config.clarify, references=references)
        self.baseline = None
        if options.baseline:
            from licensecheck.engine import baseline

            self.baseline = baseline.load(options.baseline, self.lockfile)

    @property
    def postures(self) -> tuple[str, ...]:
        return self.audit.names

    def notices(self) -> tuple[Finding, ...]:
        """Run-level findings (unused waivers); complete once every model has been judged."""
        return self.audit.notices()

    def models(self) -> Iterator[ModelReport]:
        """Judged models: the targets, then the organisation's models a batch at a time (streamable).

        A target of the audited organisation is judged when the listing reaches it (its metadata comes
        with the page, no extra request); one the listing does not show (private, pinned) comes last.
        """
        for batch in self._batches():
            if not batch:
                continue
            for model in self.audit.judge(batch):
                if self.baseline is not None:
                    from licensecheck.engine import baseline

                    model = baseline.mark(model, self.baseline, self.audit.names)
                yield model

    def _batches(self) -> Iterator[Sequence[str | ModelMeta]]:
        from licensecheck.sources.installed import holds_many, read_installed

        author = self.options.author
        org = author.lower() if author else None
        deferred = [t for t in self.targets if org and "@" not in t and t.split("/", 1)[0].lower() == org]
        stores = [t for t in self.targets if holds_many(t)]
        yield [t for t in self.targets if t not in deferred and t not in stores]
        for store in stores:  # a cache or a store of thousands of models, read and judged a batch at a time
            yield from _chunks(read_installed(store), INSTALLED_BATCH)
        if not author:
            return
        from licensecheck.sources.hub import author_batches

        first = {t.lower() for t in self.targets if t not in deferred}
        wanted = {t.lower() for t in deferred}
        listed: set[str] = set()
        for batch in author_batches(author, self.hub):
            listed.update(t.lower() for t in batch if t.lower() in wanted)
            yield [t for t in batch if t.lower() not in first]
        yield [t for t in deferred if t.lower() not in listed]

    def report(self) -> Report:
        models = tuple(self.models())
        return Report(self.audit.names, models, self.audit.notices())


INSTALLED_BATCH = 256


def _chunks(items: Iterator[ModelMeta], size: int) -> Iterator[list[ModelMeta]]:
    batch: list[ModelMeta] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_audit(options: Options, progress: Progress | None = None) -> Report:
    """The one entry point: read the inputs the options name, judge every model, return the report."""
    return AuditRun(options, progress).report()


# ---- --fail-on --------------------------------------------------------------------------------------
def model_fails(model: ModelReport, fail_on: str) -> bool:
    """Whether this model makes the run fail: a gating model whose verdict --fail-on counts."""
    bad = {"deny"} if fail_on == "deny" else ({"deny", "warn"} if fail_on == "warn" else set())
    return model.gating and model.verdict in bad


def notices_fail(notices: Sequence[Finding], fail_on: str) -> bool:
    """Run-level warnings (an unused waiver) fail the run only under --fail-on warn."""
    return fail_on == "warn" and any(n.severity == "warn" for n in notices)


def fails(report: Report, fail_on: str) -> bool:
    return any(model_fails(m, fail_on) for m in report.models) or notices_fail(report.notices, fail_on)
