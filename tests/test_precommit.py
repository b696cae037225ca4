"""The real pre-commit framework runs this repository's hooks, with no network (DESIGN.md section 8).

The hook repository is a snapshot of the working tree (tracked and untracked, not ignored) committed
to a temporary git repository: that is "this repository at HEAD" as pre-commit sees it, whether or
not the latest changes are committed here. pre-commit builds the hook virtualenv with
`pip install .` from a local wheelhouse (`.ci/wheelhouse.sh DIR`, then LICENSECHECK_WHEELHOUSE=DIR),
and every pre-commit command runs in a fresh network namespace (`unshare -rn`), so neither pip nor a
hook can reach anything. Where unshare is not permitted, proxies point at a closed local port and pip
has no index; the hooks themselves must still pass --offline (HF_HUB_OFFLINE is deliberately not set).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
WHEELHOUSE_HELP = "run .ci/wheelhouse.sh DIR and set LICENSECHECK_WHEELHOUSE=DIR (it needs the network once)"

TRAIN_PY = """\
from transformers import AutoModelForCausalLM, AutoTokenizer

MODEL = "deepseek-ai/DeepSeek-R1"

tokenizer = AutoTokenizer.from_pretrained(MODEL)
model = AutoModelForCausalLM.from_pretrained(MODEL)
"""
UNLOCKED = 'draft = AutoModelForCausalLM.from_pretrained("acme-ai/brand-new-model")\n'
UNLOCKED_LINE = TRAIN_PY.count("\n") + 1

HOUSE_POLICY = """\
version: 1
name: house
description: Open models only, and nothing over 100B parameters.
extends: [openness]
rules:
  - id: no-giants
    action: deny
    when: {model: {parameters: {gte: 1.0e11}}}
"""
BROKEN_POLICY = HOUSE_POLICY.replace("action: deny", "action: forbid")  # line 7, column 13

CONFIG = """\
policies: [policies/house.yaml]
models:
  - deepseek-ai/DeepSeek-R1
"""

# An empty file for "no global git config" and "no pip config": os.devnull is not always a device
# (in some sandboxes it is a regular file that other programs' output lands in).
EMPTY_CONFIG = Path(tempfile.mkdtemp(prefix="licensecheck-precommit-")) / "empty.cfg"
EMPTY_CONFIG.write_text("")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "licensecheck tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "licensecheck tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_CONFIG_GLOBAL": str(EMPTY_CONFIG),
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _unshare_works() -> bool:
    exe = shutil.which("unshare")
    if exe is None:
        return False
    try:
        return subprocess.run([exe, "-rn", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@dataclass
class Hooks:
    """The hook repository snapshot, where pre-commit keeps its environments, and how to run it."""

    repo: Path
    rev: str
    env: dict[str, str]
    isolation: list[str]

    def run(self, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.isolation, sys.executable, "-m", "pre_commit", *args, "--color=never"],
            cwd=project,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )


def _snapshot(dest: Path) -> str:
    """Copy the working tree (tracked and untracked, not ignored) to `dest`, commit it, return HEAD."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    assert (dest / ".pre-commit-hooks.yaml").is_file()
    _git(dest, "init", "--quiet")
    _git(dest, "add", "-A")
    _git(dest, "commit", "--quiet", "--no-verify", "-m", "hooks under test")
    return _git(dest, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hooks]:
    wheelhouse = os.environ.get("LICENSECHECK_WHEELHOUSE", "").strip()
    if not wheelhouse:
        pytest.fail(f"LICENSECHECK_WHEELHOUSE is not set: {WHEELHOUSE_HELP}")
    wheels = Path(wheelhouse)
    names = [p.name.lower() for p in wheels.glob("*.whl")] if wheels.is_dir() else []
    if not any(n.startswith("setuptools-") for n in names) or not any(n.startswith("pyyaml-") for n in names):
        pytest.fail(f"{wheels} does not hold the project's wheels (setuptools, pyyaml...): {WHEELHOUSE_HELP}")

    base = tmp_path_factory.mktemp("precommit")
    repo = base / "hooks"
    repo.mkdir()
    rev = _snapshot(repo)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PRE_COMMIT", "VIRTUALENV_"))}
    env.update(GIT_ENV)
    env.pop("HF_HUB_OFFLINE", None)
    env.update(
        PRE_COMMIT_HOME=str(base / "pre-commit-home"),
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheels.resolve()),
        PIP_CONFIG_FILE=str(EMPTY_CONFIG),  # no configured index, constraint or find-links but ours
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        VIRTUALENV_NO_PERIODIC_UPDATE="1",
        NO_COLOR="1",
    )
    if _unshare_works():
        isolation = ["unshare", "-rn"]  # a new network namespace: not even loopback is up
    else:
        isolation = []
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
            env[name] = "http://127.0.0.1:9"
        env.pop("NO_PROXY", None)
        env.pop("no_proxy", None)
    yield Hooks(repo, rev, env, isolation)


def _project(root: Path, hooks: Hooks, train: str = TRAIN_PY, policy: str = HOUSE_POLICY) -> Path:
    root.mkdir()
    (root / "policies").mkdir()
    (root / "licensecheck.yaml").write_text(CONFIG)
    shutil.copy(EXAMPLES / "licensecheck.lock", root / "licensecheck.lock")
    (root / "policies" / "house.yaml").write_text(policy)
    (root / "train.py").write_text(train)
    (root / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {hooks.repo}\n"
        f"    rev: {hooks.rev}\n"
        "    hooks:\n"
        "      - id: licensecheck\n"
        "      - id: licensecheck-scan\n"
        "      - id: licensecheck-validate\n"
    )
    _git(root, "init", "--quiet")
    _git(root, "add", "-A")
    return root


@pytest.fixture(scope="module")
def installed(hooks: Hooks, tmp_path_factory: pytest.TempPathFactory) -> Hooks:
    """Build the hook environment once (pip from the wheelhouse, no network); later runs reuse it."""
    project = _project(tmp_path_factory.mktemp("install") / "project", hooks)
    done = hooks.run(project, "install-hooks")
    assert done.returncode == 0, f"pre-commit install-hooks failed:\n{done.stdout}\n{done.stderr}"
    return hooks


def _output(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout + done.stderr


def test_locked_allowed_reference_passes_every_hook(installed: Hooks, tmp_path: Path) -> None:
    project = _project(tmp_path / "project", installed)
    done = installed.run(project, "run", "--all-files", "--verbose")
    out = _output(done)
    assert done.returncode == 0, out
    for hook in ("licensecheck (offline", "licensecheck scan", "licensecheck policy validate"):
        line = next(x for x in out.splitlines() if x.startswith(hook))
        assert line.endswith("Passed"), out
    assert "deepseek-ai/DeepSeek-R1" in out  # the scan judged the reference (verbose shows the table)
    assert "network" not in out.lower()


def test_new_unlocked_reference_fails_and_names_the_model(installed: Hooks, tmp_path: Path) -> None:
    project = _project(tmp_path / "project", installed, train=TRAIN_PY + UNLOCKED)
    done = installed.run(project, "run", "licensecheck-scan", "--all-files")
    out = _output(done)
    assert done.returncode == 1, out
    assert "Failed" in out
    assert f"train.py:{UNLOCKED_LINE}: acme-ai/brand-new-model" in out
    assert "licensecheck lock acme-ai/brand-new-model" in out
    assert "not-in-lockfile" in out
    # the locked reference in the same file is still judged, and allowed
    assert "deepseek-ai/DeepSeek-R1" in out


def test_validate_fails_on_a_broken_policy_with_its_position(installed: Hooks, tmp_path: Path) -> None:
    project = _project(tmp_path / "project", installed, policy=BROKEN_POLICY)
    done = installed.run(project, "run", "licensecheck-validate", "--all-files")
    out = _output(done)
    assert done.returncode == 1, out
    assert "policies/house.yaml:7:13: action must be one of" in out
    # the offline check reads the same policy: it refuses to judge (a config error), naming the spot
    done = installed.run(project, "run", "licensecheck", "--all-files")
    assert done.returncode == 1 and "policies/house.yaml:7:13" in _output(done), _output(done)
