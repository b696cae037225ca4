"""GGUF files: the metadata header read with bounded work, never the tensors (a 50 GB file costs a header).

The layout (GGUF versions 2 and 3, little-endian): magic `GGUF`, uint32 version, uint64 tensor count,
uint64 key/value count, then each pair as a length-prefixed UTF-8 key, a uint32 value type and the value.
Only `general.*` keys are kept; every other value (tokenizer vocabularies of a hundred thousand strings)
is skipped without being stored. Every count and length is checked against a cap before it is used, so a
hostile header cannot make us allocate or loop without bound.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from licensecheck.sources import open_regular

MAGIC = b"GGUF"
MAX_KEYS = 65_536
MAX_STRING = 16 * 1024 * 1024
MAX_ARRAY = 16_000_000
MAX_HEADER = 1024 * 1024 * 1024  # what a header may make us read, however it is laid out
MAX_NESTING = 4
MAX_KEPT_ARRAY = 1024  # a general.* array longer than this is skipped unkept (licence keys are scalars)
MAX_KEPT_ITEMS = 65_536  # values kept from the whole header

# value type -> struct format of a fixed-size scalar
_SCALARS = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
_STRING, _ARRAY = 8, 9
_U64 = struct.Struct("<Q")

Value = str | int | float | bool | list["Value"] | None


class GGUFProblem(ValueError):
    """A file that is not a readable GGUF header."""


@dataclass(frozen=True, slots=True)
class Header:
    version: int
    tensor_count: int
    general: dict[str, Value]


class _Reader:
    """Reads the header through a window of the file, so skipping a vocabulary of short strings costs a
    few large reads instead of a system call per string."""

    WINDOW = 1024 * 1024

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.buf = b""
        self.pos = 0
        self.read_bytes = 0
        self.kept = 0

    def _need(self, n: int) -> None:
        self.read_bytes += n
        if self.read_bytes > MAX_HEADER:
            raise GGUFProblem(f"header larger than {MAX_HEADER // (1024 * 1024)} MiB")

    def take(self, n: int) -> bytes:
        self._need(n)
        if self.pos + n > len(self.buf):
            rest = self.buf[self.pos :]
            more = self.fh.read(max(n - len(rest), self.WINDOW))
            self.buf, self.pos = rest + more, 0
            if len(self.buf) < n:
                raise GGUFProblem("the file ends inside its header (truncated)")
        data = self.buf[self.pos : self.pos + n]
        self.pos += n
        return data

    def skip(self, n: int) -> None:
        left = len(self.buf) - self.pos
        if n <= left:
            self._need(n)
            self.pos += n
            return
        self._need(n)
        self.fh.seek(n - left, 1)
        self.buf, self.pos = b"", 0

    def skip_strings(self, n: int) -> None:
        """Skip `n` length-prefixed strings (a tokenizer vocabulary) without a call per string."""
        unpack_from = _U64.unpack_from
        for _ in range(n):
            if self.pos + 8 > len(self.buf):
                self.buf, self.pos = self.buf[self.pos :] + self.fh.read(self.WINDOW), 0
                if len(self.buf) < 8:
                    raise GGUFProblem("the file ends inside its header (truncated)")
            (length,) = unpack_from(self.buf, self.pos)
            if length > MAX_STRING:
                raise GGUFProblem(f"string length {length} is over the limit of {MAX_STRING}")
            end = self.pos + 8 + length
            if end <= len(self.buf):
                self.read_bytes += 8 + length
                self.pos = end
            else:
                self.pos += 8
                self.read_bytes += 8
                self.skip(length)
        self._need(0)

    def unpack(self, fmt: str) -> int | float | bool:
        value: int | float | bool = struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]
        return value

    def count(self, cap: int, what: str) -> int:
        n = int(self.unpack("<Q"))
        if n > cap:
            raise GGUFProblem(f"{what} {n} is over the limit of {cap}")
        return n

    def string(self, keep: bool = True) -> str | None:
        n = self.count(MAX_STRING, "string length")
        if not keep:
            self.skip(n)
            return None
        return self.take(n).decode("utf-8", errors="replace")

    def value(self, vtype: int, keep: bool, depth: int = 0) -> Value:
        if vtype in _SCALARS:
            fmt = _SCALARS[vtype]
            if not keep:
                self.skip(struct.calcsize(fmt))
                return None
            return self.unpack(fmt)
        if vtype == _STRING:
            return self.string(keep)
        if vtype == _ARRAY:
            if depth >= MAX_NESTING:
                raise GGUFProblem("arrays nested too deeply")
            item_type = int(self.unpack("<I"))
            n = self.count(MAX_ARRAY, "array length")
            if keep and n > MAX_KEPT_ARRAY:
                keep = False  # read past it, keep nothing: no licence key is a long array
            if item_type in _SCALARS and not keep:
                self.skip(n * struct.calcsize(_SCALARS[item_type]))
                return None
            if item_type == _STRING and not keep:
                self.skip_strings(n)
                return None
            if keep:
                self.kept += n
                if self.kept > MAX_KEPT_ITEMS:
                    raise GGUFProblem(f"header keeps more than {MAX_KEPT_ITEMS} general.* values")
            items = [self.value(item_type, keep, depth + 1) for _ in range(n)]
            return items if keep else None
        raise GGUFProblem(f"unknown value type {vtype}")


def is_gguf(path: Path) -> bool:
    """Whether the file starts with the GGUF magic (any error reading it: not GGUF)."""
    try:
        with open_regular(path) as fh:
            return fh.read(4) == MAGIC
    except OSError:
        return False


def read_header(path: Path) -> Header:
    """The `general.*` metadata of a GGUF file; GGUFProblem for anything that is not a sound header."""
    try:
        with open_regular(path) as fh:
            return _parse(_Reader(fh))
    except struct.error:
        raise GGUFProblem("the file ends inside its header (truncated)") from None
    except OSError as exc:
        raise GGUFProblem(f"cannot read the file: {exc.strerror or exc}") from None


def _parse(r: _Reader) -> Header:
    if r.take(4) != MAGIC:
        raise GGUFProblem("not a GGUF file (no GGUF magic)")
    version = int(r.unpack("<I"))
    if version not in (2, 3):
        raise GGUFProblem(f"GGUF version {version} is not supported (2 and 3 are)")
    tensors = int(r.unpack("<Q"))
    pairs = r.count(MAX_KEYS, "key/value count")
    general: dict[str, Value] = {}
    for _ in range(pairs):
        key = r.string() or ""
        vtype = int(r.unpack("<I"))
        keep = key.startswith("general.")
        value = r.value(vtype, keep)
        if keep:
            general[key] = value
    return Header(version, tensors, general)
