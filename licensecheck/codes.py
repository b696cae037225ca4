"""The registry of finding codes: every code a rule or the engine emits, what it means, and who emits it.

SARIF rule descriptions, the waiver check and the README's code table all read this registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from licensecheck.values import Value

RULE = "rule"  # a rule id of a shipped posture (custom policies may add their own codes)
ENGINE = "engine"  # emitted by the engine itself, whatever the posture's rules


@dataclass(frozen=True, eq=False, repr=False)
class Code(Value):
    """A finding code: what it means and whether a waiver may name it."""

    description: str
    source: str  # RULE or ENGINE
    waivable: bool = True  # whether a waiver may name it


# How a model will be used (`--use`, config `use:`, `use` conditions); one list for all of them.
USES = ("internal", "saas", "distribute", "fine-tune", "distill")

CODES: dict[str, Code] = {
    # licence identification
    "license-unknown": Code("The model's licence could not be identified (or the card says unknown).", RULE),
    "license-unmatched": Code(
        "A licence term matched no rule of the posture; the posture's default applies.", ENGINE
    ),
    "license-conflict": Code(
        "The card's licence fields (or its LICENSE file) name different licences; all of them apply.", ENGINE
    ),
    "lineage-documented": Code(
        "The card names no base_model; the bases come from the knowledge base's documented lineage table.",
        ENGINE,
    ),
    "license-inferred": Code(
        "The licence is not in the knowledge base; it was inferred (family, name terms or text clauses).",
        ENGINE,
    ),
    # openness
    "open-license": Code(
        "The licence term is an open licence (public domain, permissive or copyleft).", RULE
    ),
    "not-open": Code("The licence restricts who may use the model or for what (not an open licence).", RULE),
    # commercial
    "permissive": Code("The licence term allows commercial use with notice or attribution only.", RULE),
    "copyleft": Code("Share-alike terms apply to the model or to works built from it.", RULE),
    "network-copyleft": Code(
        "A network copyleft licence (AGPL): serving the model counts as distribution.", RULE
    ),
    "use-restricted": Code(
        "Behavioural use restrictions (OpenRAIL) must be passed on to every downstream user.", RULE
    ),
    "conditional-commercial": Code(
        "Commercial use is allowed only under conditions (user cap, AUP, attribution, naming).", RULE
    ),
    "non-commercial": Code("The licence forbids commercial use.", RULE),
    "no-derivatives": Code("The licence forbids modified versions.", RULE),
    "proprietary": Code("All rights reserved or terms of service: no licence to build on the model.", RULE),
    "training-data-license": Code(
        "The model was trained on data whose licence forbids commercial use or derivatives.", RULE
    ),
    "distill-restricted": Code(
        "The licence restricts using the model's outputs to train or improve other models.", RULE
    ),
    "naming-rule": Code(
        "Derived models must carry the licensor's name (a naming rule applies on distribution).", RULE
    ),
    # lineage
    "base-model-license": Code(
        "A base model (fine-tuned, quantized or merged from) is itself warned or denied.", ENGINE
    ),
    "base-model-unresolved": Code("A base model named by the card could not be resolved.", ENGINE),
    "license-mismatch": Code("The model declares a more permissive licence than its base model's.", ENGINE),
    "lineage-truncated": Code(
        "The base-model chain goes on past the posture's lineage depth: its origin is unseen.", ENGINE
    ),
    "too-many-bases": Code(
        "A card names more base models (or datasets) than are followed; the rest are unseen.", ENGINE
    ),
    "lineage-cycle": Code(
        "The base-model graph refers back to a model already on the path; the loop was cut.", ENGINE
    ),
    # origin / export caution
    "restricted-party": Code(
        "The publisher (or a base model's publisher) is on a restricted-party list.", RULE
    ),
    "jurisdiction-of-concern": Code(
        "The publisher (or a base model's publisher) is in a country of concern.", RULE
    ),
    "foreign-governing-law": Code("A licence term is governed by the law of a country of concern.", RULE),
    "territory-restricted": Code(
        "The licence or the repository excludes some territories (e.g. the EU).", RULE
    ),
    "export-clause": Code("The licence carries an export-control or sanctions clause.", RULE),
    "gated": Code("The repository is gated: access requires accepting terms on the Hub.", RULE),
    "publisher-unknown": Code("The publisher is not in the publisher registry; its origin is unknown.", RULE),
    # sources and runs
    "unresolved": Code(
        "The model's metadata could not be read (not found, gated, network, malformed, not locked).", ENGINE
    ),
    "license-changed": Code("The licence on the Hub differs from the one recorded in the lockfile.", ENGINE),
    "waiver-expired": Code(
        "A waiver has passed its expiry date and no longer applies.", ENGINE, waivable=False
    ),
    "waiver-unused": Code(
        "A waiver matched no finding: remove it or fix its patterns.", ENGINE, waivable=False
    ),
    "baseline-new": Code("The model is new or relicensed since the baseline.", ENGINE, waivable=False),
}


def describe(code: str) -> str:
    """The one-line description of a code; custom policy codes get a generic line."""
    found = CODES.get(code)
    return found.description if found else f"Custom policy rule '{code}'."


# Codes the engine emits that a waiver (in a policy or the config) may name, whatever the posture.
ENGINE_CODES = frozenset(c for c, v in CODES.items() if v.source == ENGINE and v.waivable)
