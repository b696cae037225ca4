"""The knowledge base's data files, read fast: each YAML file under `data/` has a compiled JSON twin.

`licenses.yaml` and `publishers.yaml` are the sources people edit and review. Parsing them with the YAML
loader costs tens of milliseconds at every start, so each is also committed compiled, as
`data/NAME.json`: the same data as JSON, with the size and CRC-32 of the YAML text it was compiled from.
`read()` uses the twin only while it matches the YAML byte for byte; otherwise it parses the YAML (slower,
never wrong). A test keeps the twins current; regenerate them with

    python -m licensecheck.licenses.datafile

Both files are package data: nothing outside the installed package is read. They are read by path (the
package is installed as files), since importing importlib.resources alone costs about 10 ms.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import zlib
from pathlib import Path
from typing import Any

SOURCES = ("licenses.yaml", "publishers.yaml", "lineage.yaml")


def _folder() -> Path:
    return Path(__file__).parent / "data"


def _stamp(text: str) -> dict[str, int]:
    raw = text.encode("utf-8")
    return {"size": len(raw), "crc32": zlib.crc32(raw)}


def compiled_name(source: str) -> str:
    return source.rsplit(".", 1)[0] + ".json"


def parse_yaml(text: str) -> Any:
    import yaml

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


def source_path(source: str) -> Path:
    return _folder() / source


def compiled(source: str) -> Any:
    """The data of one knowledge-base file from its compiled twin, or None when there is no twin that
    matches the YAML text byte for byte (the caller then reads and validates the YAML)."""
    folder = _folder()
    text = (folder / source).read_text(encoding="utf-8")
    twin = folder / compiled_name(source)
    if twin.is_file():
        try:
            doc = json.loads(twin.read_text(encoding="utf-8"))
        except ValueError:
            doc = None
        if isinstance(doc, dict) and doc.get("source") == _stamp(text):
            return doc["data"]
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()  # the loader reads every date as text (str of a date is its ISO form)
    raise TypeError(f"cannot compile a {type(value).__name__} value: {value!r}")


def compile_text(text: str, source: str = "data.yaml") -> str:
    """The compiled twin of a YAML text that fits its schema (PolicyError, FILE:LINE:COL, otherwise)."""
    from licensecheck.schema import kinds
    from licensecheck.schema.load import load_trusted

    data = (
        load_trusted(text, source, kinds.KB_FILES[source]) if source in kinds.KB_FILES else parse_yaml(text)
    )
    doc = {"source": _stamp(text), "data": data}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), default=_plain) + "\n"


def main() -> int:
    """Rewrite every compiled twin from its YAML source (run from a source checkout)."""
    folder = _folder()
    for source in SOURCES:
        target = folder / compiled_name(source)
        new = compile_text((folder / source).read_text(encoding="utf-8"), source)
        old = target.read_text(encoding="utf-8") if target.is_file() else None
        if new != old:
            target.write_text(new, encoding="utf-8")
            print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
