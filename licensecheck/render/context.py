"""What a renderer needs to know about the run besides the report, and small helpers the formats share."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from licensecheck.printable import printable
from licensecheck.values import Value

if TYPE_CHECKING:
    from licensecheck.model import Finding, LicenseFacts, ModelReport

HUB_URL = "https://huggingface.co/"

# A Hub repository id: `name` or `org/name`.
_REPO_ID = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9_.-]*/)?[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class RenderContext(Value):
    """What renderers know beyond the report: tool version, config and lockfile paths."""

    tool_version: str
    config_path: str | None = None  # where findings without a reference are located (SARIF)
    lockfile_path: str | None = None
    created: str | None = None  # ISO timestamp for SBOMs; None -> now (tests pass a fixed value)
    # (model as listed, line) of each entry of the config's `models:`, so `check` findings can point there
    config_lines: tuple[tuple[str, int], ...] = ()
    lockfile_given: str | None = None  # the lockfile the run was told to read, whether or not it exists

    def config_line(self, model_id: str) -> int | None:
        """The line of `model_id` in the config's `models:` list, when it is listed there."""
        for listed, line in self.config_lines:
            if listed == model_id:
                return line
        return None

    def locations(self, model: ModelReport) -> list[tuple[str, int]]:
        """Where a model comes from: each `file:line` that references it (scan), else its config line."""
        refs = [(r.file, r.line) for r in model.references]
        if refs:
            return refs
        line = self.config_line(model.meta.id)
        if line is not None and self.config_path:
            return [(self.config_path, line)]
        return []

    def inputs_line(self) -> str:
        """`config FILE, lockfile FILE`: the files the run read (or that it read none)."""
        config = f"config {self.config_path}" if self.config_path else "no config"
        if self.lockfile_path:
            lock = f"lockfile {self.lockfile_path}"
        elif self.lockfile_given:
            lock = f"no lockfile ({self.lockfile_given} not found)"
        else:
            lock = "no lockfile"
        return printable(f"inputs: {config}, {lock}")

    def created_at(self) -> datetime:
        """`created` as an aware UTC datetime without microseconds (now when unset)."""
        if self.created is None:
            when = datetime.now(timezone.utc)
        else:
            text = self.created.strip()
            if text.endswith(("Z", "z")):  # Python 3.10's fromisoformat does not take a Z suffix
                text = text[:-1] + "+00:00"
            when = datetime.fromisoformat(text)
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
        return when.astimezone(timezone.utc).replace(microsecond=0)


def hub_url(repo_id: str | None) -> str | None:
    """The Hub page of a model repository, or None when the model has no (well-formed) Hub id."""
    if not repo_id or not _REPO_ID.fullmatch(repo_id):
        return None
    return HUB_URL + repo_id


def split_repo_id(repo_id: str | None) -> tuple[str | None, str | None]:
    """(org, name) of a well-formed Hub id; (None, name) for an id without org; (None, None) otherwise."""
    if not repo_id or not _REPO_ID.fullmatch(repo_id):
        return None, None
    org, _, name = repo_id.rpartition("/")
    return (org or None), name


def model_purl(repo_id: str | None, revision: str | None) -> str | None:
    """The package URL of a Hub model (`pkg:huggingface/org/name@revision`), None without a Hub id."""
    org, name = split_repo_id(repo_id)
    if name is None:
        return None
    from packageurl import PackageURL  # a dependency of cyclonedx-python-lib, used by both SBOM formats

    return str(PackageURL(type="huggingface", namespace=org, name=name, version=revision or None).to_string())


# ---- wording shared by the human-readable formats ---------------------------------------------------
def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 model`, `2 models` (`many` for an irregular plural)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


UNKNOWN_CATEGORY = "identified, category unknown"
UNIDENTIFIED = "unidentified"


def category_label(facts: LicenseFacts) -> str:
    """A licence's category, with an identified licence the knowledge base has no category for told apart
    from an unidentified one."""
    if facts.category != "unknown":
        return facts.category
    return UNIDENTIFIED if facts.id == "NOASSERTION" else UNKNOWN_CATEGORY


def licence_names(model: ModelReport) -> list[tuple[str, str]]:
    """(name, SPDX id or LicenseRef) of each licence of the model's expression, in order."""
    return [(f.name, f.id) for f in model.resolution.licenses]


def baseline_label(model: ModelReport) -> str | None:
    """`new`, `relicensed` (can fail the run) or `exempt` (unchanged since the baseline); None without one."""
    return {"new": "new", "changed": "relicensed", "unchanged": "exempt"}.get(model.baseline or "")


def baseline_counts(models: Sequence[ModelReport]) -> tuple[int, int] | None:
    """(gating, exempt) under --baseline, else None."""
    marked = [m for m in models if m.baseline is not None]
    if not marked:
        return None
    exempt = sum(1 for m in marked if not m.gating)
    return len(marked) - exempt, exempt


_VIA = re.compile(r"^(?P<core>.*) \(via base model (?P<base>[^()]*)\)$", re.DOTALL)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Shown(Value):
    """A finding as the human-readable formats show it: one line for the same finding reached directly
    and through base models, with the conditions of the model's own licence taken out of the message."""

    finding: Finding
    message: str


def merged(findings: Sequence[Finding], strip: Sequence[str] = ()) -> list[Shown]:
    """The findings, each finding reached directly and through a base model (same code, posture,
    severity and message) merged into one that names both paths; `strip` suffixes are cut."""
    order: list[tuple[object, ...]] = []
    groups: dict[tuple[object, ...], tuple[Finding, str, list[str | None]]] = {}
    for f in findings:
        match = _VIA.match(f.message)
        core, via = (match["core"], match["base"]) if match else (f.message, None)
        key = (f.code, f.posture, f.severity, f.waived, core)
        if key in groups:
            groups[key][2].append(via)
        else:
            groups[key] = (f, core, [via])
            order.append(key)
    out = []
    for group in order:
        f, core, vias = groups[group]
        for suffix in strip:
            if suffix and core.endswith(suffix):
                core = core[: -len(suffix)]
                break
        bases = list(dict.fromkeys(v for v in vias if v is not None))
        if bases:
            how = "directly and via" if None in vias else "via"
            core += f" ({how} base model {', '.join(bases)})"
        out.append(Shown(f, core))
    return out


def condition_suffixes(model: ModelReport) -> list[tuple[str, str]]:
    """(licence name, conditions) of each of the model's licences whose conditions the engine appends to
    its messages as ` (conditions)`; the formats show them once per model instead."""
    from licensecheck.engine.findings import conditions

    out = []
    for facts in model.resolution.licenses:
        text = conditions(facts)
        if text and any(f" ({text})" in f.message for f in model.findings):
            out.append((facts.name, text))
    return out


_URL_PATH = re.compile(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:/[^\s\"'<>]*)?")


def licence_url(facts: LicenseFacts) -> str | None:
    """Where a licence's text can be read: its first recorded link (an https page), else its first https
    source, else the SPDX License List page of an SPDX id; None for a LicenseRef with neither."""
    for link in facts.links:
        bare = link.split("://", 1)[-1]
        if _URL_PATH.fullmatch(bare):
            return "https://" + bare
    for src in facts.sources:
        if src.startswith("https://") and _URL_PATH.fullmatch(src[len("https://") :]):
            return src
    if facts.id and not facts.id.startswith("LicenseRef-") and _REPO_ID.fullmatch(facts.id.replace("+", "")):
        return f"https://spdx.org/licenses/{facts.id}.html"
    return None
