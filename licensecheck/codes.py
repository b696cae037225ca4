"""The registry of finding codes: every code a rule or the engine emits, with a one-line description."""

from __future__ import annotations

CODES: dict[str, str] = {
    # licence identification
    "license-unknown": "The model's licence could not be identified (or the card says unknown).",
    "license-unmatched": "A licence term matched no rule of the posture; the posture's default applies.",
    # openness
    "open-license": "The licence term is an open licence (public domain, permissive or copyleft).",
    "not-open": "The licence restricts who may use the model or for what (not an open licence).",
    # commercial
    "permissive": "The licence term allows commercial use with notice or attribution only.",
    "copyleft": "Share-alike terms apply to the model or to works built from it.",
    "network-copyleft": "A network copyleft licence (AGPL): serving the model counts as distribution.",
    "use-restricted": "Behavioural use restrictions (OpenRAIL) must be passed on to every downstream user.",
    "conditional-commercial": "Commercial use is allowed only under conditions (user cap, AUP, attribution, naming).",
    "non-commercial": "The licence forbids commercial use.",
    "no-derivatives": "The licence forbids modified versions.",
    "proprietary": "All rights reserved or terms of service: no licence to build on the model.",
    "training-data-license": "The model was trained on data whose licence forbids commercial use or derivatives.",
    "distill-restricted": "The licence restricts using the model's outputs to train or improve other models.",
    "naming-rule": "Derived models must carry the licensor's name (a naming rule applies on distribution).",
    # lineage
    "base-model-license": "A base model (fine-tuned, quantized or merged from) is itself warned or denied.",
    "base-model-unresolved": "A base model named by the card could not be resolved.",
    "license-mismatch": "The model declares a more permissive licence than its base model's.",
    "lineage-truncated": "The base-model chain goes on past the posture's lineage depth: its origin is unseen.",
    "too-many-bases": "A card names more base models (or datasets) than are followed; the rest are unseen.",
    "lineage-cycle": "The base-model graph refers back to a model already on the path; the loop was cut.",
    # origin / export caution
    "restricted-party": "The publisher (or a base model's publisher) is on a restricted-party list.",
    "jurisdiction-of-concern": "The publisher (or a base model's publisher) is in a country of concern.",
    "foreign-governing-law": "A licence term is governed by the law of a country of concern.",
    "territory-restricted": "The licence or the repository excludes some territories (e.g. the EU).",
    "export-clause": "The licence carries an export-control or sanctions clause.",
    "gated": "The repository is gated: access requires accepting terms on the Hub.",
    "publisher-unknown": "The publisher is not in the publisher registry; its origin is unknown.",
    # sources and runs
    "unresolved": "The model's metadata could not be read (not found, gated, network, malformed, not locked).",
    "license-changed": "The licence on the Hub differs from the one recorded in the lockfile.",
    "waiver-expired": "A waiver has passed its expiry date and no longer applies.",
    "waiver-unused": "A waiver matched no finding: remove it or fix its patterns.",
    "baseline-new": "The model is new or relicensed since the baseline.",
}


def describe(code: str) -> str:
    """The one-line description of a code; custom policy codes get a generic line."""
    return CODES.get(code, f"Custom policy rule '{code}'.")
