"""Which publisher a licence or a licence link belongs to, read from URLs: a Hub or GitHub organisation
(`huggingface.co/<org>/...`, `github.com/<org>/...`) or a site (`<publisher>.com/...`).

A licence's keys come from its `links` and `sources`; a publisher's from its Hub organisations and its
`sources`. Keys of one publisher entry belong together (`hf:stabilityai`, `web:stability.ai`), so a link
to one of them finds the licences cited at any of them. Organisations the registry marks as
individuals, community groups or re-uploaders say nothing about whose licence it is, nor do hosts
that hold everyone's documents (licence lists, archives, code hosts without an organisation).
"""

from __future__ import annotations

import re

from licensecheck.licenses.facts import LINEAGE_KINDS, KnowledgeBase
from licensecheck.model import LicenseFacts

MAX_URL = 1000
_REPO_HOSTS = {
    "huggingface.co": "hf",
    "hf.co": "hf",
    "github.com": "gh",
    "raw.githubusercontent.com": "gh",
    "gitlab.com": "gl",
    "gitee.com": "gitee",
    "gitcode.com": "gitcode",
    "modelscope.cn": "ms",
    "www.modelscope.cn": "ms",
}
# Path segments after a repository host that are not an organisation.
_NOT_ORG = frozenset(
    {"spaces", "datasets", "models", "docs", "blog", "api", "orgs", "organizations", "settings"}
)
# Sites that hold many publishers' documents or say nothing about who publishes.
_SHARED_SITES = frozenset(
    {
        "aboutcode.org", "spdx.org", "opensource.org", "creativecommons.org", "pypi.org", "gnu.org",
        "apache.org", "choosealicense.com", "google.com", "archive.org", "arxiv.org", "medium.com",
        "x.com", "twitter.com", "reddit.com", "youtube.com", "wikipedia.org", "federalregister.gov",
        "ecfr.gov", "openrouter.ai", "githubusercontent.com", "huggingface.co", "hf.co", "github.com",
        "gitlab.com", "gitee.com", "gitcode.com", "modelscope.cn", "licenses.nuget.org", "bigscience.huggingface.co",
        "linkedin.com", "substack.com", "notion.site", "readthedocs.io", "github.io", "amazonaws.com",
        "cloudfront.net", "nist.gov", "europa.eu", "w3.org", "ietf.org", "iso.org", "oecd.org",
    }
)  # fmt: skip
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go"})
_HOST = re.compile(r"^[a-z0-9.-]+$")


def _site(host: str) -> str:
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def url_keys(url: str) -> frozenset[str]:
    """`hf:<org>` / `gh:<org>` for a repository host, `web:<site>` for a publisher's own site; empty for
    a relative link (`LICENSE`), a shared site, or text that is not a URL."""
    text = url.strip()[:MAX_URL].lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    elif not re.match(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/", text):
        return frozenset()
    host, _, path = text.partition("/")
    host = host.split("@")[-1].split(":")[0].removeprefix("www.")
    if not host or "." not in host or not _HOST.match(host):
        return frozenset()
    repo = _REPO_HOSTS.get(host)
    if repo is not None:
        segments = [s for s in path.split("/") if s]
        if segments and segments[0] in _NOT_ORG:
            segments = segments[1:]
        if not segments or not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,95}", segments[0]):
            return frozenset()
        return frozenset({f"{repo}:{segments[0]}"})
    site = _site(host)
    if site in _SHARED_SITES or host in _SHARED_SITES:
        return frozenset()
    return frozenset({f"web:{site}"})


def _urls(text: str) -> list[str]:
    """URLs in a source (a source may add a parenthesis after its URL)."""
    return re.findall(r"(?:https?://)?[A-Za-z0-9.-]+\.[A-Za-z]{2,}/[^\s)\"',;]*", text[:MAX_URL])


def licence_keys(facts: LicenseFacts) -> frozenset[str]:
    keys: set[str] = set()
    for url in (*facts.links, *facts.sources):
        for u in _urls(url) or [url]:
            keys |= url_keys(u if "://" in u else "https://" + u)
    return frozenset(keys)


_CACHE: list[
    tuple[KnowledgeBase, tuple[list[frozenset[str]], frozenset[str], dict[str, frozenset[str]]]]
] = []


def _index(base: KnowledgeBase) -> tuple[list[frozenset[str]], frozenset[str], dict[str, frozenset[str]]]:
    """(the key groups of publisher entries, the keys of marked organisations, each licence's keys)."""
    for kb, idx in _CACHE:
        if kb is base:
            return idx
    groups: dict[tuple[str | None, tuple[str, ...]], set[str]] = {}
    marked: set[str] = set()
    for org, pub in base.publishers.items():
        if pub.kind in LINEAGE_KINDS:
            marked |= {f"hf:{org}", f"gh:{org}"}
            continue
        group = groups.setdefault((pub.name, pub.sources), set())
        group.add(f"hf:{org}")
        for source in pub.sources:
            for u in _urls(source):
                group |= url_keys(u if "://" in u else "https://" + u)
    licences = {lid: licence_keys(f) - marked for lid, f in base.custom.items()}
    idx = ([frozenset(g - marked) for g in groups.values()], frozenset(marked), licences)
    _CACHE.append((base, idx))
    del _CACHE[:-4]
    return idx


def kin(keys: frozenset[str], base: KnowledgeBase) -> dict[str, LicenseFacts]:
    """The knowledge base's licences of the publisher(s) these keys belong to (model licences of
    known category only; SPDX licences are everyone's)."""
    groups, marked, licences = _index(base)
    wanted = set(keys - marked)
    if not wanted:
        return {}
    for group in groups:
        if group & wanted:
            wanted |= group
    out: dict[str, LicenseFacts] = {}
    for lid, lkeys in licences.items():
        facts = base.custom[lid]
        if lkeys & wanted and facts.category != "unknown" and not lid.endswith("-family"):
            out[lid] = facts
    return out
