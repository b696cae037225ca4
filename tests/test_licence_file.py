"""Which file of a repository is read as the model's licence text: the one the card's `license_link` names
when it is a file of the same repository, else a LICENSE file by its usual names, else a LICENSE-like name
when that choice is not ambiguous. Through the real sources: the fake Hub (a real HTTP server) and local
folders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from licensecheck.cli import main
from licensecheck.sources import licence_file_in, linked_path
from licensecheck.sources.local import read_local
from tests.fakehub import FakeHub

GPL3 = "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n"
AGPL3 = "GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007\n"
MIT = "MIT License\n"


@pytest.mark.parametrize(
    ("link", "repo", "path"),
    [
        ("LICENSE-Yuan", "org/m", "LICENSE-Yuan"),
        ("./docs/MODEL_LICENSE.txt", "org/m", "docs/MODEL_LICENSE.txt"),
        ("License%20Model.txt", "org/m", "License Model.txt"),
        ("LICENSE.txt#terms", "org/m", "LICENSE.txt"),
        ("https://huggingface.co/org/m/blob/main/LICENSE_MODEL.txt", "org/m", "LICENSE_MODEL.txt"),
        ("https://huggingface.co/Org/M/resolve/v1.0/legal/LICENSE", "org/m", "legal/LICENSE"),
        ("https://hf.co/org/m/blob/main/LICENSE", "org/m", "LICENSE"),
        # another repository, another site, a page of the repository that is no file
        ("https://huggingface.co/org/base/blob/main/LICENSE", "org/m", None),
        ("https://github.com/org/m/blob/main/LICENSE", "org/m", None),
        ("https://huggingface.co/org/m", "org/m", None),
        ("https://huggingface.co/org/m/blob/main/LICENSE", None, None),
        # hostile or unusable: climbing out, absolute, schemes, control characters, separators, length
        ("../../../etc/passwd", "org/m", None),
        ("docs/../../secret", "org/m", None),
        ("https://huggingface.co/org/m/blob/main/%2E%2E/x", "org/m", None),
        ("/etc/passwd", "org/m", None),
        ("C:\\Windows\\win.ini", "org/m", None),
        ("docs\\LICENSE", "org/m", None),
        ("mailto:legal@example.com", "org/m", None),
        ("LICENSE\x1b[31m", "org/m", None),
        ("a//b", "org/m", None),
        ("x" * 300, "org/m", None),
        ("https://[oops/org/m/blob/main/LICENSE", "org/m", None),
        ("", "org/m", None),
        (None, "org/m", None),
    ],
)
def test_the_path_a_licence_link_names_inside_the_repository(
    link: str | None, repo: str | None, path: str | None
) -> None:
    assert linked_path(link, repo) == path


@pytest.mark.parametrize(
    ("names", "link", "chosen"),
    [
        # the linked file first, even over a LICENSE of the usual name (often the code's)
        ({"LICENSE", "LICENSE_MODEL.txt"}, "LICENSE_MODEL.txt", "LICENSE_MODEL.txt"),
        ({"LICENSE", "license_model.txt"}, "LICENSE_MODEL.txt", "license_model.txt"),
        # a linked file the repository does not have, or that is no text: the usual names
        ({"LICENSE"}, "LICENSE_MODEL.txt", "LICENSE"),
        ({"LICENSE", "terms.pdf"}, "terms.pdf", "LICENSE"),
        ({"LICENSE.md", "COPYING"}, None, "LICENSE.md"),
        # other spellings of a licence file, when one of them is plainly the model's
        ({"License.txt", "README.md"}, None, "License.txt"),
        ({"LICENSE-Yuan", "config.json"}, None, "LICENSE-Yuan"),
        ({"LICENSE_CODE.txt", "LICENSE_WEIGHTS.txt"}, None, "LICENSE_WEIGHTS.txt"),
        ({"LICENSE_CODE", "LICENSE_X"}, None, "LICENSE_X"),
        # never the code's or the data's by elimination of nothing, never a guess between two
        ({"LICENSE_CODE.txt"}, None, None),
        ({"LICENSE_A.txt", "LICENSE_B.txt"}, None, None),
        ({"LICENSE_MODEL_A.txt", "LICENSE_MODEL_B.txt"}, None, None),
        ({"LICENSE.pdf"}, None, None),
        ({"LICENSES/MIT.txt", "README.md"}, None, None),
        (set(), "LICENSE", None),
    ],
)
def test_which_file_is_the_licence_text(names: set[str], link: str | None, chosen: str | None) -> None:
    assert licence_file_in(names, link, "org/m") == chosen


def fetched(hub: FakeHub, repo_id: str) -> list[str]:
    """The files of `repo_id` the run downloaded (paths after the revision)."""
    prefix = f"/{repo_id}/resolve/"
    return [p[len(prefix) :].split("/", 1)[1] for _, p in hub.requests if p.startswith(prefix)]


def check(capsys: pytest.CaptureFixture[str], *targets: str) -> dict[str, dict[str, Any]]:
    with pytest.raises(SystemExit):
        main(["check", "--format", "json", "--no-cache", "-p", "openness", *targets])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return {m["id"]: m for m in json.loads(out)["models"]}


def test_the_hub_source_reads_the_file_the_card_links(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    unknown = {"license": "other", "license_name": "acme-weights-terms"}
    fakehub.add_model(
        "acme/relative", {**unknown, "license_link": "LICENSE-acme"}, files={"LICENSE-acme": GPL3}
    )
    fakehub.add_model(
        "acme/absolute",
        {**unknown, "license_link": "https://huggingface.co/acme/absolute/blob/main/legal/WEIGHTS.txt"},
        files={"LICENSE": MIT, "legal/WEIGHTS.txt": AGPL3},
    )
    fakehub.add_model(
        "acme/elsewhere",
        {**unknown, "license_link": "https://huggingface.co/acme/relative/blob/main/LICENSE-acme"},
        files={"LICENSE": MIT},
    )
    fakehub.add_model("acme/ambiguous", unknown, files={"LICENSE_A.txt": MIT, "LICENSE_B.txt": GPL3})
    got = check(capsys, "acme/relative", "acme/absolute", "acme/elsewhere", "acme/ambiguous")
    assert got["acme/relative"]["license"]["expression"] == "GPL-3.0-only"
    # the card's link wins over the LICENSE file of the usual name (the code's, here)
    assert got["acme/absolute"]["license"]["expression"] == "AGPL-3.0-only"
    assert fetched(fakehub, "acme/absolute") == ["legal/WEIGHTS.txt"]
    # a link to another repository is not followed (lineage reads bases): its own LICENSE is read
    assert got["acme/elsewhere"]["license"]["expression"] == "MIT"
    assert fetched(fakehub, "acme/relative") == ["LICENSE-acme"]
    assert fetched(fakehub, "acme/elsewhere") == ["LICENSE"]
    # two licence files and nothing says which covers the weights: neither is read, nothing is allowed
    assert got["acme/ambiguous"]["license"]["expression"] is None
    assert got["acme/ambiguous"]["verdict"] != "allow"
    assert fetched(fakehub, "acme/ambiguous") == []


def test_an_author_listing_reads_the_linked_file_like_a_single_check(
    fakehub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fakehub.add_model(
        "org/linked",
        {"license": "other", "license_name": "org-model-terms", "license_link": "License.txt"},
        files={"License.txt": GPL3},
    )
    with pytest.raises(SystemExit):
        main(["check", "--format", "json", "--no-cache", "-p", "openness", "--author", "org"])
    out, _ = capsys.readouterr()
    assert [m["license"]["expression"] for m in json.loads(out)["models"]] == ["GPL-3.0-only"]
    assert fetched(fakehub, "org/linked") == ["License.txt"]


def test_a_local_folder_reads_the_linked_file_and_never_outside_it(tmp_path: Path) -> None:
    model = tmp_path / "model"
    (model / "docs").mkdir(parents=True)
    (model / "LICENSE").write_text(MIT, encoding="utf-8")
    (model / "docs" / "WEIGHTS_LICENSE.txt").write_text(GPL3, encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text(AGPL3, encoding="utf-8")

    def card(link: str) -> None:
        (model / "README.md").write_text(
            f"---\nlicense: other\nlicense_name: x-terms\nlicense_link: {link}\n---\n", encoding="utf-8"
        )

    card("docs/WEIGHTS_LICENSE.txt")
    meta = read_local(str(model))
    assert meta.license_file == "WEIGHTS_LICENSE.txt" and meta.license_text == GPL3
    card("../secret.txt")
    meta = read_local(str(model))
    assert meta.license_text == MIT  # the climb is refused; the folder's own LICENSE is read
    card("a" * 256)  # a name longer than the file system allows: no such file, the folder's LICENSE
    meta = read_local(str(model))
    assert meta.error is None and meta.license_text == MIT
