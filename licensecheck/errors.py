"""The exception root and its kinds; the CLI maps each to a message and an exit code."""

from __future__ import annotations


class LicensecheckError(Exception):
    """A problem the user can fix; printed without a traceback. Exit code 2 unless said otherwise."""

    exit_code = 2


class UsageError(LicensecheckError):
    """A command line (or config `models:` entry) naming something of no accepted form."""


class ConfigError(LicensecheckError):
    """A configuration, lockfile or cache file that cannot be used."""


class PolicyError(LicensecheckError):
    """One or more problems in policy files, each located as FILE:LINE:COL."""

    def __init__(self, problems: list[tuple[str, int, int, str]], what: str = "policy") -> None:
        self.problems = sorted(problems)
        self.what = what  # "policy" or "config": which kind of file the problems are in
        super().__init__("\n".join(f"{p}:{line}:{col}: {msg}" for p, line, col, msg in self.problems))


class FetchError(LicensecheckError):
    """Metadata for one model could not be read; becomes a per-model `error.kind`, not a run error."""

    def __init__(self, model: str, kind: str, message: str) -> None:
        self.model = model
        self.kind = kind
        super().__init__(message)
