"""The declared schema of every file kind licensecheck reads, and the vocabularies they use.

One schema per kind: a policy (DESIGN.md section 6), the config (`licensecheck.yaml` or
`[tool.licensecheck]`) with its `licenses:` and `publishers:` entries, a policy test file, the lockfile, and
the shipped knowledge base (licences, publishers, lineage). `licensecheck.schema.validate` walks them.
"""

from __future__ import annotations

import re
from typing import Any

from licensecheck.codes import USES
from licensecheck.schema.validate import (
    BAD,
    AnyOf,
    Bool,
    Ctx,
    Custom,
    Date,
    Dict,
    Enum,
    Field,
    Int,
    Map,
    Opt,
    Schema,
    Seq,
    Str,
    View,
)

# ---- vocabularies ----------------------------------------------------------------------------------
CATEGORIES = (
    "public-domain",
    "permissive",
    "weak-copyleft",
    "copyleft",
    "open-rail",
    "community",
    "non-commercial",
    "no-derivatives",
    "proprietary",
    "unknown",
)
ACTIONS = ("allow", "info", "warn", "deny")
VERDICTS = ("allow", "warn", "deny")
# how a model derives from a base: on cards (base_model_relation) and in the lineage table, which also
# records what cards cannot say (a distillation, a pruned model, a re-release)
RELATIONS = ("adapter", "merge", "quantized", "finetune")
LINEAGE_RELATIONS = (*RELATIONS, "distilled", "pruned", "re-release")
# Kinds of registry entry: publishers have a country of their own; the lineage kinds mark organisations
# whose models take their origin from their base models, so they never carry a country.
COUNTRY_KINDS = ("company", "university", "research-lab", "government", "nonprofit")
LINEAGE_KINDS = ("individual", "community", "re-uploader")
PUBLISHER_KINDS = (*COUNTRY_KINDS, *LINEAGE_KINDS)
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Const(Schema):
    """Exactly one value (a format version)."""

    def __init__(self, value: Any, message: str) -> None:
        self.value = value
        self.message = message

    def check(self, view: View, ctx: Ctx, where: str) -> Any:
        v = view.scalar(ctx)
        if v != self.value or type(v) is not type(self.value):
            ctx.add(view, self.message.format(value=v))
            return BAD
        return v


TEXT = Str()
ANY_TEXT = Str(nonempty=False)
TEXTS = Seq(TEXT, what="a string or a list of strings", one=True)
SOURCES = Seq(TEXT, what="a non-empty list of sources (primary URLs)", nonempty=True)
KEBAB_ID = Str(what="kebab-case (like 'non-commercial')", pattern=KEBAB)

# ---- overrides (policies and the config) -----------------------------------------------------------
WAIVER = Map(
    {
        "models": Field(TEXTS, required=True, missing="waiver has no 'models'"),
        "rules": Field(TEXTS, required=True, missing="waiver has no 'rules'"),
        "reason": Field(
            TEXT, required=True, missing="waiver needs a 'reason' (why the finding is acceptable)"
        ),
        "approved_by": TEXT,
        "expires": Date(),
    },
    kind="waiver",
    located=True,
)
CLARIFY = Map(
    {
        "models": Field(TEXTS, required=True, missing="clarify entry has no 'models'"),
        "license": Field(
            Str(located=True), required=True, missing="clarify entry needs a 'license' (an SPDX expression)"
        ),
        "reason": Field(TEXT, required=True, missing="clarify entry needs a 'reason'"),
    },
    kind="clarify",
    located=True,
)

# ---- policies --------------------------------------------------------------------------------------
RULE = Map(
    {
        "id": Field(KEBAB_ID, required=True, missing="rule has no 'id'"),
        "action": Field(Enum(ACTIONS), required=True, missing="rule has no 'action'"),
        "when": Field(Custom("when"), required=True, missing="rule has no 'when'"),
        "message": TEXT,
        "code": KEBAB_ID,
        "description": TEXT,
    },
    kind="rule",
    located=True,
)
POLICY = Map(
    {
        "version": Field(
            Const(1, "unsupported policy version {value!r} (this licensecheck reads version 1)"),
            required=True,
            missing="missing 'version: 1'",
        ),
        "name": TEXT,
        "description": ANY_TEXT,
        "extends": Seq(
            Str(located=True), what="a policy name or a list of names and relative paths", one=True
        ),
        "settings": Map(
            {
                "default": Enum(ACTIONS),
                "unresolved": Enum(ACTIONS),
                "lineage": Map({"follow": Bool(), "depth": Int(0, 10), "licenses": Bool()}),
            }
        ),
        "rules": Seq(RULE),
        "waivers": Seq(WAIVER),
        "clarify": Seq(CLARIFY),
    },
    located=True,
    title="the policy",
)


# ---- the knowledge base (package data) and the config's extra facts --------------------------------
def licence_entry(shipped: bool) -> Map:
    """A licence's facts (DESIGN.md section 5); shipped entries must say where they come from and when."""
    yes_no = Opt(Bool())
    return Map(
        {
            "id": Field(
                TEXT, required=True, missing=f"every {'' if shipped else 'extra '}licence needs an 'id'"
            ),
            "name": Opt(TEXT),
            "category": Field(Enum(CATEGORIES), required=shipped),
            "osi_approved": yes_no,
            "fsf_libre": yes_no,
            "commercial_use": Opt(AnyOf((Bool(), Enum(("conditional",))), "true, false or conditional")),
            "derivatives": yes_no,
            "use_restrictions": yes_no,
            "distill_restricted": yes_no,
            "user_limit": Opt(Int(lo=1)),
            "user_limit_basis": Opt(TEXT),  # what user_limit counts when not monthly active users
            "attribution": Opt(TEXT),
            "naming": Opt(TEXT),
            "governing_law": Opt(TEXT),
            "territory_exclusions": Opt(TEXTS),
            "territory_exclusions_multimodal": Opt(TEXTS),
            "export_clause": yes_no,
            "aliases": Opt(TEXTS),
            "links": Opt(TEXTS),
            "text_markers": Opt(TEXTS),
            "obligations": Opt(Seq(OBLIGATION)),
            "sources": Field(SOURCES, required=shipped, missing="every licence entry needs 'sources'"),
            "as_of": Field(Date(), required=shipped, missing="every licence entry needs an 'as_of' date"),
            "verified": yes_no,
            "notes": Opt(ANY_TEXT),
        },
        kind="licence",
    )


OBLIGATION = Map(
    {
        "kind": Field(TEXT, required=True),
        "text": Field(TEXT, required=True),
        "source": Opt(TEXT),
    },
    kind="obligation",
)
LISTING = Map(
    {
        "list": Field(TEXT, required=True),
        "since": Opt(Date()),
        "source": Opt(TEXT),
        "citation": Opt(TEXT),
    },
    kind="listing",
)


def _one_org(entry: dict[str, Any], view: View, ctx: Ctx) -> None:
    if ("org" in entry) == ("orgs" in entry):
        ctx.add(view, "a publisher entry needs 'orgs' (the Hub organisations it publishes under)")


def publisher_entry(shipped: bool) -> Map:
    fields: dict[str, Field | Schema] = {
        "orgs": Field(TEXTS, required=shipped, missing="every publisher entry needs 'orgs'"),
        "name": Opt(TEXT),
        "country": Opt(Str(what="an ISO 3166-1 alpha-2 country code", pattern=re.compile(r"^[A-Za-z]{2}$"))),
        "lists": Opt(Seq(LISTING)),
        "kind": Opt(Enum(PUBLISHER_KINDS)),
        "verified": Opt(Bool()),
        "evidence": Opt(TEXTS),
        "sources": Field(SOURCES, required=shipped, missing="every publisher entry needs 'sources'"),
        "as_of": Field(Date(), required=shipped, missing="every publisher entry needs an 'as_of' date"),
        "notes": Opt(ANY_TEXT),
    }
    if not shipped:
        fields["org"] = TEXT
    return Map(fields, kind="publisher", check_entry=None if shipped else _one_org)


# The licence facts a `spdx_facts` entry may add to an SPDX-listed licence.
_SPDX_FACT_KEYS = (
    "commercial_use",
    "derivatives",
    "use_restrictions",
    "export_clause",
    "obligations",
    "notes",
    "aliases",  # real spellings of an SPDX-listed licence that are neither its id nor its name (`hl3-core`)
)
SPDX_FACTS = Map({k: licence_entry(False).fields[k] for k in _SPDX_FACT_KEYS}, kind="spdx_facts")

KB_LICENSES = Map(
    {
        "as_of": Field(Date(), required=True),
        "spdx_categories": Map(
            {
                "source": TEXT,
                "explicit": Dict(Seq(TEXT)),
                "patterns": Seq(
                    Map(
                        {"match": Field(TEXT, True), "category": Field(Enum(CATEGORIES), True)},
                        kind="pattern",
                    )
                ),
            }
        ),
        "spdx_facts": Dict(SPDX_FACTS),
        "hub_ids": Dict(Opt(TEXT)),
        "licenses": Field(Seq(licence_entry(True)), required=True),
    }
)
KB_PUBLISHERS = Map(
    {
        "as_of": Field(Date(), required=True),
        "countries_of_concern": Map({"codes": Seq(TEXT), "source": TEXT}),
        "publishers": Field(Seq(publisher_entry(True)), required=True),
    }
)
LINEAGE_ENTRY = Map(
    {
        "model": Field(TEXT, required=True),
        "base_models": Field(TEXTS, required=True),
        "relation": Field(Enum(LINEAGE_RELATIONS), required=True),
        "sources": Field(SOURCES, required=True, missing="every lineage entry needs 'sources'"),
        "as_of": Field(Date(), required=True, missing="every lineage entry needs an 'as_of' date"),
        "notes": Opt(ANY_TEXT),
    },
    kind="lineage",
)
KB_LINEAGE = Map({"as_of": Date(), "notes": Opt(ANY_TEXT), "lineage": Seq(LINEAGE_ENTRY)})
KB_FILES: dict[str, Map] = {
    "licenses.yaml": KB_LICENSES,
    "publishers.yaml": KB_PUBLISHERS,
    "lineage.yaml": KB_LINEAGE,
}

# ---- the config ------------------------------------------------------------------------------------
CONFIG = Map(
    {
        "policies": TEXTS,
        "models": TEXTS,
        "scan": TEXTS,
        "lockfile": Str(what="a path"),
        "waivers": Seq(WAIVER),
        "clarify": Seq(CLARIFY),
        "licenses": Seq(licence_entry(False), what="a list of mappings"),
        "publishers": Seq(publisher_entry(False), what="a list of mappings"),
        "use": Seq(Enum(USES), what="a use or a list of uses", one=True),
    },
    kind="config",
    title="a config file",
)

# ---- the lockfile and policy test files -------------------------------------------------------------
LOCK_ENTRY = Map(
    {
        "author": Opt(TEXT),
        "base_models": Opt(TEXTS),
        "base_relation": Opt(TEXT),
        "datasets": Opt(TEXTS),
        "eu_disallowed": Opt(Bool()),
        "fetched": Opt(AnyOf((Date(), TEXT), "a date or a timestamp")),
        "gated": Opt(AnyOf((Bool(), TEXT), "true, false or a gating mode")),
        "library_name": Opt(TEXT),
        "license": Opt(AnyOf((ANY_TEXT, Seq(ANY_TEXT)), "a string or a list of strings")),
        "license_link": Opt(ANY_TEXT),
        "license_name": Opt(AnyOf((ANY_TEXT, Int()), "a string")),
        "license_file": Opt(ANY_TEXT),
        "license_text": Opt(ANY_TEXT),
        "parameters": Opt(Int(lo=0)),
        "pipeline_tag": Opt(TEXT),
        "revision": Opt(TEXT),
        "tags": Opt(Seq(ANY_TEXT)),
    },
    kind="lockfile entry",
)
LOCKFILE = Map(
    {
        "version": Field(
            Const(1, "not a version-1 licensecheck lockfile (version {value!r})"),
            required=True,
            missing="not a licensecheck lockfile (no 'version: 1')",
        ),
        "knowledge_base": Opt(AnyOf((TEXT, Date()), "a knowledge-base version")),
        # an empty entry is what a write cut between entries leaves: that model is not locked
        "models": Opt(Dict(Opt(LOCK_ENTRY))),
        "datasets": Opt(Dict(Opt(LOCK_ENTRY))),
    },
    title="a lockfile",
)


def _model_or_card(entry: dict[str, Any], view: View, ctx: Ctx) -> None:
    if ("model" in entry) == ("card" in entry):
        ctx.add(view, "give exactly one of 'model' (with 'lock' entries) or 'card'")


CASE = Map(
    {
        "name": TEXT,
        "model": TEXT,
        "card": TEXT,
        "lock": Dict(LOCK_ENTRY, what="a mapping of ids to lockfile entries"),
        "datasets": Dict(LOCK_ENTRY, what="a mapping of ids to lockfile entries"),
        "use": Seq(Enum(USES), what="a use or a list of uses", one=True),
        "expect": Field(Enum(VERDICTS), required=True, missing="case has no 'expect' (allow, warn or deny)"),
        "codes": TEXTS,
        "today": Date(),
    },
    kind="case",
    check_entry=_model_or_card,
)
POLICY_TESTS = Map(
    {
        "version": Field(Const(1, "unsupported test file version {value!r}"), required=True),
        "policy": Field(
            TEXT, required=True, missing="a policy test file needs 'policy' (a posture or a file)"
        ),
        "cases": Field(Seq(CASE), required=True, missing="a policy test file needs a list of 'cases'"),
    }
)
