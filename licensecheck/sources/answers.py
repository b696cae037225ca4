"""What the Hub answers, read: model and dataset JSON into ModelMeta, failures into `error.kind`.

Every field is checked for its type (a mirror or a broken answer can send anything); a wrong shape is
`Malformed`, never an exception elsewhere. Messages made from the Hub's words are one printable line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from ..model import ModelMeta
from .card import HUB_ID, meta_from_card
from .lockfile import now_iso
from .ratelimit import RateLimited
from .transport import HubHTTPError, TransportError


class Malformed(Exception):
    """The Hub answered something that is not the metadata asked for."""


def said(text: str | None, secret: str | None, limit: int = 200) -> str:
    """A server-provided message made safe to print: one line, printable, short, never the token."""
    if not text:
        return ""
    if secret:
        text = text.replace(secret, "***")
    from licensecheck.printable import printable

    clean = printable(text).strip()
    return clean[:limit] + ("..." if len(clean) > limit else "")


def classify(exc: BaseException) -> tuple[str, str, bool]:
    """(error kind, safe message, retryable) for a failed request. Never echoes a token or a URL password."""
    if isinstance(exc, RateLimited):
        return "rate-limited", str(exc), True
    if isinstance(exc, Malformed):
        return "malformed", f"the Hub answered something that is not model metadata: {exc}", False
    if isinstance(exc, TransportError):
        return "network", str(exc), True
    if isinstance(exc, HubHTTPError):
        status, code = exc.status, exc.error_code
        if code == "GatedRepo":
            return "gated", f"the repository is gated and this token has no access (HTTP {status})", False
        if code == "RevisionNotFound":
            return "not-found", f"revision not found (HTTP {status})", False
        if exc.error_message == "Access to this resource is disabled.":
            return "not-found", f"the repository is disabled on the Hub (HTTP {status})", False
        if status in (401, 404) or code == "RepoNotFound":
            return "not-found", f"repository not found, or private (HTTP {status})", False
        if status == 403:
            return (
                "gated",
                (
                    "access refused (HTTP 403), not for a gated repository: the token may lack access to it "
                    "(a fine-grained token) or the repository is restricted"
                ),
                False,
            )
        if status == 429:
            return "rate-limited", "the Hub rate-limited the requests (HTTP 429)", True
        if status >= 500:
            return "network", f"the Hub failed (HTTP {status})", True
        return "network", f"HTTP error {status}", False
    if isinstance(exc, (ValueError, TypeError, KeyError, AttributeError)):
        return "malformed", f"the Hub's answer could not be read ({type(exc).__name__})", False
    return "network", f"could not reach the Hub ({type(exc).__name__})", True


def siblings_of(doc: dict[str, Any]) -> list[str]:
    listed = doc.get("siblings")
    names = (
        s.get("rfilename") if isinstance(s, dict) else None
        for s in (listed if isinstance(listed, list) else [])
    )
    return [n for n in names if isinstance(n, str)]


def _base_relation(doc: dict[str, Any]) -> str | None:
    bm = doc.get("baseModels")
    rel = bm.get("relation") if isinstance(bm, dict) else None
    return rel if isinstance(rel, str) else None


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise Malformed("lastModified is not a date")
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        raise Malformed("lastModified is not a date") from None


def meta_from_json(target: str, repo_id: str, doc: Any) -> ModelMeta:
    """ModelMeta from the Hub's JSON for one model or dataset; Malformed when the shape is wrong."""
    if not isinstance(doc, dict):
        raise Malformed("the answer is not a JSON object")
    rid = doc.get("id")
    if not isinstance(rid, str):
        raise Malformed("no repository id in the answer")
    card = doc.get("cardData")
    if card is None:
        card = {}
    if not isinstance(card, dict):
        raise Malformed("cardData is not a mapping")
    tags = doc.get("tags") or []
    if not isinstance(tags, list):
        raise Malformed("tags is not a list")
    safetensors = doc.get("safetensors")
    total = safetensors.get("total") if isinstance(safetensors, dict) else None
    gated, sha, author = doc.get("gated"), doc.get("sha"), doc.get("author")
    pipeline, library = doc.get("pipeline_tag"), doc.get("library_name")
    meta = meta_from_card(
        target,
        {**card, "tags": [t for t in tags if isinstance(t, str)]},
        source="hub",
        repo_id=rid if HUB_ID.match(rid) else repo_id,
        revision=sha if isinstance(sha, str) else None,
        author=author if isinstance(author, str) and author else repo_id.split("/", 1)[0],
        gated=gated if isinstance(gated, (bool, str)) else None,
        parameters=total if isinstance(total, int) and not isinstance(total, bool) else None,
        pipeline_tag=_text(pipeline) or _text(card.get("pipeline_tag")),
        library_name=_text(library) or _text(card.get("library_name")),
        last_modified=_date(doc.get("lastModified")),
        fetched=now_iso(),
    )
    rel = meta.base_relation or _base_relation(doc)
    return meta if rel == meta.base_relation else replace(meta, base_relation=rel)


def _text(value: object) -> str | None:
    """A non-empty string, or None: a card's odd-typed value never reaches the lockfile."""
    return value.strip() if isinstance(value, str) and value.strip() else None
