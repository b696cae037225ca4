"""Strings from cards, lockfiles and file names made safe for any output: one line, no control characters."""

from __future__ import annotations

import unicodedata

# Line breaks of every kind (a card must not start a new log line, whatever reads the output).
_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def printable(text: str, *, keep_lines: bool = False) -> str:
    """`text` safe for any output: one line (unless `keep_lines`), no control or format characters.

    Line breaks of every kind (LF, CR, VT, FF, NEL, U+2028/U+2029, the C0 separators) become a space, as
    do tabs and other spaces; every other character Unicode does not call printable (categories Cc, Cf,
    Cs, Co, Cn: escapes, bidi overrides and isolates, zero-width characters, lone surrogates,
    non-characters) becomes U+FFFD, so a card cannot start a CI log line, rewrite a terminal, or reorder
    what a reader sees; and "::" becomes ": :" and "##[" becomes "## [", so no line of any output (however
    it is wrapped) carries a GitHub Actions workflow command. With `keep_lines` (licence texts in documents that carry
    them), LF and tab stay and CR LF / CR become LF.
    """
    if text.isascii() and text.isprintable():
        return _defang(text)
    if keep_lines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for ch in text:
        if ch.isprintable() or (keep_lines and ch in "\n\t"):
            out.append(ch)
        elif ch in _BREAKS or ch == "\t" or unicodedata.category(ch) == "Zs":
            out.append(" ")
        else:
            out.append("\ufffd")
    return _defang("".join(out))


def _defang(text: str) -> str:
    """No CI workflow command anywhere in the text: GitHub Actions reads `::name::` at the start of a
    line after trimming spaces (so a wrapped line could start with one) and `##[name]` anywhere."""
    if "::" in text:
        text = text.replace("::", ": :")
    if "##[" in text:
        text = text.replace("##[", "## [")
    return text
