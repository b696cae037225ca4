"""An organisation's models through the Hub's paged listing, defended against a hostile or broken one.

`GET /api/models?author=ORG&expand=...` answers a JSON list and a `Link: <URL>; rel="next"` header for the
next page. A listing is only followed on the Hub's own address (a next link elsewhere would receive the
token), only ids in ORG's namespace are kept (an item claiming another organisation's model must not be
cached as that model), and it must end: a repeated next link, a page of nothing new, or more than
MAX_PAGES pages / MAX_MODELS models stop it with an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import LicensecheckError
from .card import HUB_ID
from .transport import Transport, redact

MAX_PAGES = 1_000
MAX_MODELS = 100_000
MAX_PAGE_BYTES = 64 * 1024 * 1024
PAGE_DEADLINE = 120.0
_LINK = re.compile(r'<(?P<url>[^>]*)>\s*;[^,]*?\brel\s*=\s*"?(?P<rel>[^",;]+)"?')


class ListingError(LicensecheckError):
    """The listing cannot be trusted or used (exit 2): it names the organisation."""


@dataclass
class ListingStats:
    pages: int = 0
    kept: int = 0
    foreign: int = 0  # items naming a model outside the organisation: dropped
    repeated: int = 0  # items already listed: dropped
    unreadable: int = 0  # items without a usable id: dropped
    foreign_examples: list[str] = field(default_factory=list)


def next_link(header: str | None) -> str | None:
    """The `rel="next"` URL of a Link header."""
    if not header:
        return None
    for match in _LINK.finditer(header):
        if "next" in match.group("rel").lower().split():
            return match.group("url").strip()
    return None


def pages(
    transport: Transport,
    author: str,
    expand: Sequence[str],
    *,
    kind: str = "models",
    stats: ListingStats | None = None,
    max_pages: int | None = None,
    max_models: int | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """Pages of listing items (JSON objects) whose id is `author/...`, each id once."""
    max_pages = MAX_PAGES if max_pages is None else max_pages
    max_models = MAX_MODELS if max_models is None else max_models
    stats = stats if stats is not None else ListingStats()
    org = author.lower()
    params = [("author", author), *(("expand", e) for e in expand)]
    url: str | None = f"/api/{kind}"
    seen_links: set[str] = set()
    seen_ids: set[str] = set()
    first = True
    while url is not None:
        if stats.pages >= max_pages:
            raise ListingError(f"the listing of {author} did not end after {max_pages} pages; stopped")
        answer = transport.get(url, params if first else (), max_bytes=MAX_PAGE_BYTES, deadline=PAGE_DEADLINE)
        first = False
        stats.pages += 1
        try:
            items = json.loads(answer.body)
        except ValueError:
            raise ListingError(f"the listing of {author} (page {stats.pages}) is not JSON") from None
        if not isinstance(items, list):
            raise ListingError(f"the listing of {author} (page {stats.pages}) is not a list of models")
        page: list[dict[str, Any]] = []
        for item in items:
            rid = item.get("id") if isinstance(item, dict) else None
            if not isinstance(rid, str) or not HUB_ID.match(rid):
                stats.unreadable += 1
                continue
            if rid.split("/", 1)[0].lower() != org:
                stats.foreign += 1
                if len(stats.foreign_examples) < 3:
                    stats.foreign_examples.append(rid)
                continue
            if rid.lower() in seen_ids:
                stats.repeated += 1
                continue
            seen_ids.add(rid.lower())
            page.append(item)
        if items and not page and stats.repeated:
            raise ListingError(f"the listing of {author} repeats itself (page {stats.pages} has nothing new)")
        stats.kept += len(page)
        if stats.kept > max_models:
            raise ListingError(f"the listing of {author} names more than {max_models} models; stopped")
        if page:
            yield page
        url = next_link(answer.headers.get("link"))
        if url is None:
            return
        if not transport.endpoint.owns(url):
            raise ListingError(
                f"the listing of {author} points its next page at another address ({redact(url)}); "
                "refused, so the token is not sent there"
            )
        if url in seen_links:
            raise ListingError(f"the listing of {author} repeats itself (the same next page twice)")
        seen_links.add(url)
