"""Policy semantics (DESIGN.md section 6), pinned by tables: OR/AND/WITH, defaults, lineage, waivers, clarify.

Models come from a real lockfile written to a temporary folder and read by the offline source.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from licensecheck.engine import audit
from licensecheck.engine.match import Env
from licensecheck.licenses import facts
from licensecheck.model import Report
from licensecheck.policy.document import load_policy
from licensecheck.sources.lockfile import Lockfile

TODAY = dt.date(2026, 11, 29)


def entry(license: Any = None, **kw: Any) -> dict[str, Any]:
    base = {"license": license, "license_name": None, "license_link": None, "base_models": [], "tags": []}
    base.update(kw)
    return base


def run(
    tmp_path: Path,
    models: dict[str, dict[str, Any]],
    targets: list[str],
    postures: list[str],
    policy_text: str | None = None,
    uses: tuple[str, ...] = (),
) -> Report:
    lock = tmp_path / "licensecheck.lock"
    lock.write_text(yaml.safe_dump({"version": 1, "models": models}))
    specs = list(postures)
    if policy_text is not None:
        p = tmp_path / "policy.yaml"
        p.write_text(policy_text)
        specs.append(str(p))
    policies = [load_policy(s) for s in specs]
    src = Lockfile.read(lock)
    kb = facts.load()
    return audit.run(
        targets,
        policies,
        kb,
        audit.Sources(models=src.fetch_many, datasets=src.fetch_datasets),
        Env(kb, TODAY, uses),
    )


def codes(report: Report, model: int = 0, posture: str | None = None) -> dict[str, str]:
    return {
        f.code: f.severity
        for f in report.models[model].findings
        if (posture is None or f.posture == posture) and f.severity != "allow"
    }


@pytest.mark.parametrize(
    ("expression", "posture", "verdict"),
    [
        ("MIT OR CC-BY-NC-4.0", "commercial", "allow"),
        ("CC-BY-NC-4.0 OR MIT", "commercial", "allow"),
        ("MIT AND CC-BY-NC-4.0", "commercial", "deny"),
        ("MIT AND CC-BY-SA-4.0", "commercial", "warn"),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "openness", "allow"),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "commercial", "warn"),
        ("(MIT OR GPL-3.0-only) AND Apache-2.0", "commercial", "allow"),
        ("llama3.1 OR apache-2.0", "openness", "allow"),
        ("llama3.1 AND apache-2.0", "openness", "deny"),
        ("unknown", "openness", "deny"),
        ("unknown", "export-caution", "allow"),
    ],
)
def test_expression_semantics(tmp_path, expression, posture, verdict):
    report = run(tmp_path, {"acme/m": entry(expression, author="acme")}, ["acme/m"], [posture])
    assert report.models[0].verdicts[posture] == verdict, report.models[0].findings


def test_or_reports_which_branch_was_taken(tmp_path):
    report = run(tmp_path, {"acme/m": entry("CC-BY-NC-4.0 OR MIT")}, ["acme/m"], ["commercial"])
    assert any("OR took MIT (allow)" in t and "CC-BY-NC-4.0 (deny)" in t for t in report.models[0].trace)


def test_and_counts_both_terms(tmp_path):
    report = run(tmp_path, {"acme/m": entry("MIT AND CC-BY-NC-4.0")}, ["acme/m"], ["commercial"])
    found = {(f.code, f.severity) for f in report.models[0].findings}
    assert ("permissive", "allow") in found and ("non-commercial", "deny") in found


@pytest.mark.parametrize(("default", "verdict"), [("deny", "deny"), ("warn", "warn"), ("allow", "allow")])
def test_default_applies_to_unmatched_terms(tmp_path, default, verdict):
    policy = (
        f"version: 1\nname: mine\nsettings: {{default: {default}}}\nrules:\n"
        "  - id: ok\n    action: allow\n    when: {license: {id: MIT}}\n"
    )
    report = run(tmp_path, {"acme/m": entry("apache-2.0")}, ["acme/m"], [], policy)
    m = report.models[0]
    assert m.verdicts["mine"] == verdict
    assert [f.code for f in m.findings] == ["license-unmatched"]


@pytest.mark.parametrize(("unresolved", "verdict"), [("deny", "deny"), ("warn", "warn")])
def test_unresolved_setting(tmp_path, unresolved, verdict):
    policy = (
        f"version: 1\nname: mine\nsettings: {{unresolved: {unresolved}}}\nrules:\n"
        "  - id: ok\n    action: allow\n    when: {license: {category: permissive}}\n"
    )
    report = run(tmp_path, {}, ["acme/missing"], [], policy)
    m = report.models[0]
    assert m.meta.error is not None and m.meta.error.kind == "not-in-lockfile"
    assert m.verdicts["mine"] == verdict
    assert codes(report) == {"unresolved": unresolved}


LLAMA = entry("llama3.1", author="meta-llama", gated=True)


def test_quantized_reupload_is_judged_with_its_base(tmp_path):
    models = {
        "meta-llama/Llama-3.1-8B-Instruct": LLAMA,
        "someone/Llama-3.1-8B-Instruct-GGUF": entry(
            "llama3.1", base_models=["meta-llama/Llama-3.1-8B-Instruct"], tags=["gguf"]
        ),
    }
    report = run(tmp_path, models, ["someone/Llama-3.1-8B-Instruct-GGUF"], ["openness", "commercial"])
    m = report.models[0]
    assert m.verdicts == {"openness": "deny", "commercial": "warn"}
    assert codes(report, posture="openness")["base-model-license"] == "deny"
    assert m.lineage[0].id == "meta-llama/Llama-3.1-8B-Instruct"
    assert m.lineage[0].relation == "quantized"


def test_finetune_relabelling_community_licence_as_apache(tmp_path):
    models = {
        "meta-llama/Llama-3.1-8B-Instruct": LLAMA,
        "someone/llama-ft": entry("apache-2.0", base_models=["meta-llama/Llama-3.1-8B-Instruct"]),
    }
    report = run(tmp_path, models, ["someone/llama-ft"], ["openness", "commercial"])
    m = report.models[0]
    assert m.resolution.expression == "Apache-2.0"
    assert m.verdicts == {"openness": "deny", "commercial": "warn"}
    assert codes(report, posture="openness") == {"base-model-license": "deny", "license-mismatch": "warn"}
    assert codes(report, posture="commercial") == {"base-model-license": "warn", "license-mismatch": "warn"}


def test_merge_of_two_bases(tmp_path):
    models = {
        "a/permissive": entry("mit"),
        "b/noncommercial": entry("cc-by-nc-4.0"),
        "c/merge": entry("mit", base_models=["a/permissive", "b/noncommercial"]),
    }
    report = run(tmp_path, models, ["c/merge"], ["commercial"])
    m = report.models[0]
    assert m.verdicts["commercial"] == "deny"
    assert {e.relation for e in m.lineage} == {"merge"}
    msgs = [f.message for f in m.findings if f.code == "base-model-license"]
    assert len(msgs) == 1 and "b/noncommercial" in msgs[0]


def test_missing_base(tmp_path):
    models = {"c/ft": entry("mit", base_models=["gone/base"])}
    report = run(tmp_path, models, ["c/ft"], ["openness"])
    assert codes(report) == {"base-model-unresolved": "deny"}  # settings.unresolved (issue 12)
    assert report.models[0].verdicts["openness"] == "deny"


def test_self_reference_and_cycles_terminate(tmp_path):
    models = {
        "c/self": entry("mit", base_models=["c/self"]),
        "c/a": entry("mit", base_models=["c/b"]),
        "c/b": entry("mit", base_models=["c/a"]),
    }
    report = run(tmp_path, models, ["c/self", "c/a"], ["openness"])
    assert report.models[0].verdicts["openness"] == "allow"
    assert codes(report, 0) == {"lineage-cycle": "info"}
    assert codes(report, 1) == {}  # b is judged; the loop back to a is cut
    assert [e.id for e in report.models[1].lineage] == ["c/b"]


def test_depth_limits_the_walk(tmp_path):
    # m0 -> m1 -> m2 -> m3 (non-commercial, three steps away)
    models = {f"c/m{i}": entry("mit", base_models=[f"c/m{i + 1}"]) for i in range(3)}
    models["c/m3"] = entry("cc-by-nc-4.0")
    shallow = "version: 1\nname: shallow\nextends: [commercial]\nsettings: {lineage: {depth: 2}}\nrules: []\n"
    report = run(tmp_path, models, ["c/m0"], ["commercial"], shallow)
    m = report.models[0]
    assert m.verdicts["commercial"] == "deny"  # depth 3 reaches m3
    # depth 2 stops at m2, whose card names a further base: the cut is a finding (issue 12), not an allow
    assert m.verdicts["shallow"] == "deny"
    cut = [f for f in m.findings if f.posture == "shallow" and f.code == "lineage-truncated"]
    assert len(cut) == 1 and "c/m2" in cut[0].message and cut[0].severity == "deny"


def test_origin_lineage_names_the_ancestor(tmp_path):
    models = {
        "deepseek-ai/DeepSeek-R1": entry("mit", author="deepseek-ai"),
        "someone/DeepSeek-R1-GGUF": entry("mit", base_models=["deepseek-ai/DeepSeek-R1"]),
    }
    report = run(tmp_path, models, ["someone/DeepSeek-R1-GGUF"], ["export-caution"])
    m = report.models[0]
    assert m.verdicts["export-caution"] == "warn"
    msgs = [f.message for f in m.findings if f.code == "jurisdiction-of-concern"]
    assert msgs and "via base model deepseek-ai/DeepSeek-R1" in msgs[0]
    assert "base-model-license" not in codes(report)


WAIVED = (
    "version: 1\nname: mine\nextends: [commercial]\nrules: []\nwaivers:\n"
    "  - models: ['acme/*']\n    rules: [non-commercial]\n    reason: research only (LEGAL-1)\n"
    "    approved_by: jane@example.com\n    expires: {expires}\n"
)


def test_waiver_matches(tmp_path):
    report = run(
        tmp_path, {"acme/m": entry("cc-by-nc-4.0")}, ["acme/m"], [], WAIVED.format(expires="2027-06-30")
    )
    m = report.models[0]
    assert m.verdicts["mine"] == "allow"
    (f,) = [f for f in m.findings if f.code == "non-commercial"]
    assert f.severity == "info" and f.waived is not None and f.waived.approved_by == "jane@example.com"
    assert report.notices == ()


def test_expired_waiver_does_nothing_and_is_reported(tmp_path):
    report = run(
        tmp_path, {"acme/m": entry("cc-by-nc-4.0")}, ["acme/m"], [], WAIVED.format(expires="2026-01-01")
    )
    m = report.models[0]
    assert m.verdicts["mine"] == "deny"
    assert codes(report) == {"non-commercial": "deny", "waiver-expired": "warn"}


def test_unused_waiver_is_reported(tmp_path):
    report = run(
        tmp_path, {"other/m": entry("cc-by-nc-4.0")}, ["other/m"], [], WAIVED.format(expires="2027-06-30")
    )
    assert [n.code for n in report.notices] == ["waiver-unused"]
    assert report.models[0].verdicts["mine"] == "deny"


def test_clarify_wins_over_the_card(tmp_path):
    policy = (
        "version: 1\nname: mine\nextends: [openness]\nrules: []\nclarify:\n"
        "  - models: ['acme/old']\n    license: Apache-2.0\n    reason: LICENSE file is Apache-2.0\n"
    )
    report = run(tmp_path, {"acme/old": entry("other", license_name="weird-name")}, ["acme/old"], [], policy)
    m = report.models[0]
    assert m.resolution.expression == "Apache-2.0" and m.resolution.method == "clarify"
    assert m.verdicts["mine"] == "allow"


def test_model_rules_and_combinators(tmp_path):
    policy = (
        "version: 1\nname: mine\nsettings: {default: allow}\nrules:\n"
        "  - id: big\n    action: warn\n    when: {model: {parameters: {gte: 1.0e11}}}\n"
        "  - id: not-acme\n    action: deny\n    when: {not: {model: {id: 'acme/*'}}}\n"
        "  - id: any-tag\n    action: info\n    when: {any: [{model: {tags: gguf}}, {model: {gated: true}}]}\n"
    )
    models = {
        "acme/big": entry("mit", parameters=671_000_000_000, tags=["gguf"]),
        "other/small": entry("mit", parameters=1000),
    }
    report = run(tmp_path, models, ["acme/big", "other/small"], [], policy)
    assert codes(report, 0) == {"big": "warn", "any-tag": "info"}
    assert codes(report, 1) == {"not-acme": "deny"}


def test_uses_change_the_commercial_posture(tmp_path):
    models = {"acme/agpl": entry("agpl-3.0")}
    plain = run(tmp_path, models, ["acme/agpl"], ["commercial"])
    saas = run(tmp_path, models, ["acme/agpl"], ["commercial"], uses=("saas",))
    assert "network-copyleft" not in codes(plain)
    assert codes(saas)["network-copyleft"] == "warn"


def test_config_waiver_shared_by_postures_is_unused_only_if_unused_everywhere(tmp_path, cli):
    lock = tmp_path / "licensecheck.lock"
    lock.write_text(yaml.safe_dump({"version": 1, "models": {"acme/m": entry("cc-by-nc-4.0")}}))
    cfg = tmp_path / "licensecheck.yaml"
    cfg.write_text(
        "policies: [openness, commercial]\nmodels: [acme/m]\nwaivers:\n"
        "  - models: ['acme/*']\n    rules: [non-commercial]\n    reason: research only\n"
        "  - models: ['nobody/*']\n    rules: [not-open]\n    reason: stale\n"
    )
    report = cli("check", "-c", str(cfg), "--offline", "--format", "json").json()
    notices = report["notices"]
    assert [n["code"] for n in notices] == ["waiver-unused"]
    assert "nobody/*" in notices[0]["message"]
    m = report["models"][0]
    assert m["verdicts"] == {"openness": "deny", "commercial": "allow"}


@pytest.mark.parametrize(
    "policy_text",
    [
        # a user's licence posture that also screens publishers still judges base models' licences
        "version: 1\nname: mine\nextends: [commercial]\nrules:\n"
        "  - id: sanctioned\n    action: deny\n    when: {publisher: {listed: true}}\n",
        # combining the licence and origin postures: export-caution's `licenses: false` is not inherited
        "version: 1\nname: mine\nextends: [openness, export-caution]\nsettings: {default: deny}\n",
    ],
)
def test_users_licence_postures_judge_base_models(tmp_path, policy_text):
    models = {
        "a/nc": entry("cc-by-nc-4.0"),
        "d/merge": entry("mit", base_models=["a/nc", "a/nc2"]),
        "a/nc2": entry("mit"),
    }
    report = run(tmp_path, models, ["d/merge"], [], policy_text)
    m = report.models[0]
    assert m.verdicts["mine"] == "deny"
    assert codes(report)["base-model-license"] == "deny"
    assert codes(report)["license-mismatch"] == "warn"


def test_a_waived_base_does_not_warn_its_fine_tunes(tmp_path):
    policy = (
        "version: 1\nname: w\nextends: [commercial]\nrules: []\nwaivers:\n"
        "  - models: ['meta-llama/*']\n    rules: [conditional-commercial]\n    reason: Llama approved\n"
    )
    models = {
        "meta-llama/Llama-3.1-8B": LLAMA,
        "d/ft": entry("llama3.1", base_models=["meta-llama/Llama-3.1-8B"]),
    }
    report = run(tmp_path, models, ["meta-llama/Llama-3.1-8B", "d/ft"], [], policy)
    base, ft = report.models
    assert base.verdicts["w"] == "allow"
    assert "base-model-license" not in codes(report, 1)  # judged as the posture judges the base itself
    assert ft.verdicts["w"] == "warn"  # its own Llama term is not waived (d/ft does not match meta-llama/*)
    assert report.notices == ()


@pytest.mark.parametrize("order", ["expired-first", "valid-first"])
def test_waiver_order_does_not_matter(tmp_path, order):
    valid = "  - models: ['d/*']\n    rules: [non-commercial]\n    reason: ok\n    expires: 2099-01-01\n"
    old = "  - models: ['d/*']\n    rules: [non-commercial]\n    reason: old\n    expires: 2020-01-01\n"
    waivers = old + valid if order == "expired-first" else valid + old
    policy = f"version: 1\nname: w\nextends: [commercial]\nrules: []\nwaivers:\n{waivers}"
    report = run(tmp_path, {"d/nc": entry("cc-by-nc-4.0")}, ["d/nc"], [], policy)
    assert codes(report) == {"non-commercial": "info", "waiver-expired": "warn"}
    assert report.models[0].verdicts["w"] == "warn"
    assert report.notices == ()


def test_obligations_follow_the_or_branch_and_the_base_models(tmp_path):
    models = {
        "g/or": entry("MIT OR llama3.1"),
        "meta-llama/Llama-3.1-8B-Instruct": LLAMA,
        "d/ft": entry("mit", base_models=["meta-llama/Llama-3.1-8B-Instruct"]),
    }
    report = run(tmp_path, models, ["g/or", "d/ft"], ["commercial"])
    either, ft = report.models
    assert {o.kind for o in either.obligations} == {"license-text"}  # MIT's branch, not Llama's terms
    texts = [o.text for o in ft.obligations]
    assert any("MIT" in t for t in texts)
    assert any(
        t.startswith("(from base model meta-llama/Llama-3.1-8B-Instruct)") and "Built with Llama" in t
        for t in texts
    )
