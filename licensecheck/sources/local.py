"""Local targets: a model folder (README.md + LICENSE file) or a model-card `.md` file."""

from __future__ import annotations

import os
from pathlib import Path

from licensecheck.sources.card import CardProblem, error_meta, front_matter, meta_from_card

from ..model import ModelMeta
from . import licence_file_in, linked_path, open_regular

MAX_CARD_BYTES = 8 * 1024 * 1024
MAX_LICENSE_BYTES = 512 * 1024
_CHUNK = 256 * 1024


def read_text(path: Path, limit: int) -> str:
    # In chunks: `read(limit + 1)` would allocate the whole cap up front for every small card.
    chunks: list[bytes] = []
    size = 0
    with open_regular(path) as fh:
        while size <= limit:
            chunk = fh.read(min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    data = b"".join(chunks)
    if len(data) > limit:
        raise CardProblem(
            f"{path.name} is larger than {limit // (1024 * 1024) or limit // 1024} "
            f"{'MiB' if limit >= 1024 * 1024 else 'KiB'}"
        )
    return data.decode("utf-8", errors="replace")


_NOT_REGULAR = "not a regular file (a folder, FIFO, device or broken or looping link); it is not read"


def _present(path: Path) -> bool:
    """Whether anything (even a dangling or looping symlink) sits at `path`."""
    try:
        path.lstat()
    except OSError:
        return False
    return True


def license_file(folder: Path, link: object = None, repo_id: str | None = None) -> Path | None:
    """The folder's licence text: the file the card's `license_link` names (a relative path, or a Hub
    link to `repo_id`'s own file) when it is there, else a LICENSE file (sources.licence_file_in)."""
    text_link = link if isinstance(link, str) else None
    linked = linked_path(text_link, repo_id)
    try:
        names = {e.name for e in os.scandir(folder) if e.is_file()}
    except OSError:
        return None
    try:
        if linked is not None and linked not in names and (folder / linked).is_file():
            names.add(linked)
    except OSError:  # a linked name the file system refuses (too long): no such file
        pass
    name = licence_file_in(names, text_link, repo_id)
    return folder / name if name is not None else None


def read_local(target: str) -> ModelMeta:
    """Read a local model folder or card file; problems become a `malformed`/`not-found` error."""
    path = Path(target).expanduser()
    from licensecheck.sources.installed import kind_of, read_installed

    if kind_of(path) in ("gguf", "safetensors"):  # a weights file: its own header says what it is
        return next(read_installed(target))
    folder = path if path.is_dir() else None
    if folder is not None:
        card_path = path / "README.md"
    elif path.is_file():
        card_path = path
    elif _present(path):
        return error_meta(target, "malformed", f"{target}: {_NOT_REGULAR}", source="local")
    else:
        return error_meta(target, "not-found", f"no such file or folder: {target}", source="local")
    if not card_path.is_file() and _present(card_path):
        return error_meta(target, "malformed", f"{card_path}: {_NOT_REGULAR}", source="local")
    card: dict[str, object] = {}
    try:
        if card_path.is_file():
            card = front_matter(read_text(card_path, MAX_CARD_BYTES))
        lic_path = license_file(folder, card.get("license_link")) if folder is not None else None
        if not card_path.is_file() and lic_path is None:
            return error_meta(
                target, "not-found", f"{target} has no README.md and no LICENSE", source="local"
            )
        license_text = read_text(lic_path, MAX_LICENSE_BYTES) if lic_path else None
    except CardProblem as exc:
        return error_meta(target, "malformed", f"{card_path}: {exc}", source="local")
    except OSError as exc:
        return error_meta(target, "not-found", f"cannot read {target}: {exc.strerror or exc}", source="local")
    return meta_from_card(
        target,
        card,
        source="local",
        license_text=license_text,
        license_file=lic_path.name if lic_path else None,
    )
