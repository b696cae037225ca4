"""What a renderer needs to know about the run besides the report, and small helpers the formats share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

HUB_URL = "https://huggingface.co/"

# A Hub repository id: `name` or `org/name`.
_REPO_ID = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9_.-]*/)?[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True, slots=True)
class RenderContext:
    tool_version: str
    config_path: str | None = None  # where findings without a reference are located (SARIF)
    lockfile_path: str | None = None
    created: str | None = None  # ISO timestamp for SBOMs; None -> now (tests pass a fixed value)

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
