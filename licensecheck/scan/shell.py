"""Model references in shell scripts and Dockerfiles: `hf download`, `vllm serve`, model flags and vars.

A logical line (physical lines joined at a trailing backslash) is split into words as the shell would,
then into commands at `;`, `&&`, `|`, ...; each value found is reported on the physical line it sits on.
A Dockerfile is read the same way, with its exec form (`RUN ["cmd", ...]`) and legacy `ENV NAME value`.
"""

from __future__ import annotations

import bisect
import json
import re
import shlex
from collections.abc import Iterator
from typing import TypeAlias

from .ids import NEGATIVE, STRONG, WEAK, Hit, is_dataset_key, is_model_key, links, pinned, snake_case, words

_Found: TypeAlias = tuple[str, str, int]  # value, why, strength

_SHELL_OPERATOR = re.compile(r"[;&|()<>]+")
_HF_VALUE_FLAGS = words(
    "--repo-type --revision --local-dir --cache-dir --token --include --exclude --max-workers "
    "--local-dir-use-symlinks --etag-timeout --format"
)


def _shell_words(line: str) -> list[str]:
    if len(line) > 20_000:  # shlex builds tokens a character at a time: quadratic on huge lines
        return line.split()
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:  # unbalanced quotes
        return line.split()


def _option(words: list[str], names: tuple[str, ...]) -> str | None:
    for i, word in enumerate(words):
        for name in names:
            if word == name and i + 1 < len(words):
                return words[i + 1]
            if word.startswith(name + "="):
                return word[len(name) + 1 :]
    return None


def _first_positional(words: list[str]) -> str | None:
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in _HF_VALUE_FLAGS
        else:
            return word
    return None


# programs whose `--model` or positional ids are not Hub models (other hubs, images, packages, repos)
_NOT_HUB = words(
    "modelscope ollama git npm npx pnpm yarn pip pip3 uv conda mamba brew apt apt-get kubectl helm"
)
_NOT_MODEL_FLAG = ("upload", "push", "output", "save", "hub_model", "repo_name")


def _not_model_flag(name: str) -> bool:
    snake = snake_case(name.lstrip("-+"))
    return is_dataset_key(snake) or any(word in snake for word in _NOT_MODEL_FLAG)


def _command_hits(words: list[str]) -> list[_Found]:
    """`hf download ORG/NAME`, `vllm serve ORG/NAME`, `--model ORG/NAME`, `MODEL_ID=ORG/NAME`; every
    other id-shaped word is a weak candidate, unless the program is no Hub tool or the flag says data."""
    found: list[_Found] = []
    repo_type = _option(words, ("--repo-type", "--repo_type"))
    model_repo = repo_type in (None, "model")
    revision = _option(words, ("--revision",))
    program = next((w.rsplit("/", 1)[-1] for w in words if "=" not in w), "")
    if program in _NOT_HUB:
        return [(word, f"argument of {program}, not a Hub tool", NEGATIVE) for word in words]
    taken: set[int] = set()
    # a command that pushes or uploads names its target repo with --repo-id: not a model it uses
    uploading = any("push" in word or "upload" in word for word in words)
    model_repo = model_repo and not uploading
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        name = word.rsplit("/", 1)[-1]
        if name in ("huggingface-cli", "hf") and following in ("upload", "repo", "repo-files"):
            return [(w, f"{name} {following}: not a download", NEGATIVE) for w in words]
        if name in ("huggingface-cli", "hf") and following == "download":
            repo = _first_positional(words[i + 2 :])
            taken.update(n for n in range(i + 2, len(words)) if words[n] == repo)
            if repo:
                why = f"{name} download" if model_repo else f"{name} download of a {repo_type}"
                found.append((pinned(repo, revision), why, STRONG if model_repo else NEGATIVE))
        elif name in ("vllm", "sglang") and following == "serve" and i + 2 < len(words):
            found.append((words[i + 2], f"{name} serve", STRONG))
            taken.add(i + 2)
        elif "=" in word and not word.startswith("="):
            key, _, value = word.partition("=")
            key = key.lstrip("-+").rsplit(".", 1)[-1]
            if is_model_key(key, repo_id=word.startswith("-") and model_repo):
                found.append((value, f"{key}=", STRONG))
            elif _not_model_flag(key):
                found.append((value, f"{key}= (not a model)", NEGATIVE))
            else:
                found.append((value, f"{key}=", WEAK))
        elif word.startswith("-") and following and not following.startswith("-"):
            flag = word.lstrip("-")
            if uploading and snake_case(flag) in ("repo_id", "repo"):
                found.append((following, f"{word} of an upload", NEGATIVE))
                taken.add(i + 1)
            elif is_model_key(flag, repo_id=model_repo):
                found.append((following, f"{word} option", STRONG))
                taken.add(i + 1)
            elif _not_model_flag(flag):
                found.append((following, f"{word} option (not a model)", NEGATIVE))
                taken.add(i + 1)
        elif i not in taken and "/" in word:
            image = program in ("docker", "podman") and ":" in word
            found.append(
                (word, "Docker image" if image else "word of a command", NEGATIVE if image else WEAK)
            )
    return found


def _docker_words(words: list[str], line: str) -> list[str]:
    """Exec-form `RUN ["cmd", ...]` as words; legacy `ENV NAME value` as `NAME=value`."""
    instruction = words[0].upper()
    rest = line.strip()[len(words[0]) :].strip()
    if instruction in ("RUN", "CMD", "ENTRYPOINT") and rest.startswith("["):
        try:
            parsed = json.loads(rest)
        except ValueError:
            return words
        if isinstance(parsed, list) and all(isinstance(word, str) for word in parsed):
            return [instruction, *parsed]
    elif instruction in ("ENV", "ARG") and len(words) == 3 and "=" not in words[1]:
        return [instruction, f"{words[1]}={words[2]}"]
    return words


def scan_shell(text: str, docker: bool = False) -> list[Hit]:
    lines = text.split("\n")
    hits: list[Hit] = []
    i = 0
    while i < len(lines):
        pieces, starts, rows = [lines[i]], [0], [i]  # a logical line: physical lines joined at "\"
        length = len(lines[i])
        while pieces[-1].endswith("\\") and i + 1 < len(lines):
            i += 1
            if docker and lines[i].lstrip().startswith("#"):
                continue  # Docker drops comment lines inside a continued instruction
            pieces[-1] = pieces[-1][:-1] + " "
            starts.append(length)
            rows.append(i)
            pieces.append(lines[i])
            length += len(lines[i])
        logical = "".join(pieces)
        words = _shell_words(logical)
        if docker and words:
            words = _docker_words(words, logical)
        commands = [found for command in _split_commands(words) for found in _command_hits(command)]
        if docker and words and words[0].upper() == "FROM":
            commands = [(word, "Docker image", NEGATIVE) for word in words[1:]]
        linked = [(hit[0], hit[2], hit[3]) for word in words for hit in links(word, 0)]
        for found in (commands, linked):  # each in the order written: find each value after the last
            cursor = 0
            for value, why, strength in found:
                needle = value.partition("@")[0]
                pos = logical.find(needle, cursor)
                if pos < 0:
                    pos = logical.find(needle)
                row = rows[0] if pos < 0 else rows[bisect.bisect_right(starts, pos) - 1]
                cursor = cursor if pos < 0 else pos + len(needle)
                hits.append((value, row + 1, why, strength, 0))
        i += 1
    return hits


def _split_commands(words: list[str]) -> Iterator[list[str]]:
    command: list[str] = []
    for word in words:
        if _SHELL_OPERATOR.fullmatch(word):
            yield command
            command = []
        else:
            command.append(word)
    yield command


def scan_docker(text: str) -> list[Hit]:
    return scan_shell(text, docker=True)
