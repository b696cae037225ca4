#!/usr/bin/env bash
# Fill DIR with wheels of this project, its runtime dependencies and its build backend, so that the
# pre-commit test (tests/test_precommit.py) can install the hooks with no network:
#
#   bash .ci/wheelhouse.sh DIR && export LICENSECHECK_WHEELHOUSE=DIR
#
# This script needs the network (or a reachable package index). Run it with the interpreter the tests
# use (PYTHON, default python3): pre-commit builds the hook virtualenv from that interpreter, and
# compiled wheels (PyYAML, ...) must match it.
set -euo pipefail
if [ "$#" -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-python3}"
mkdir -p "$1"
# The project and everything it needs at run time.
"$PY" -m pip wheel --quiet -w "$1" "$ROOT"
# pre-commit runs `pip install .` in a clone of the hook repository, which builds the project from
# source in an isolated environment: that needs the build backend named in pyproject.toml.
mapfile -t BUILD_REQUIRES < <("$PY" - "$ROOT/pyproject.toml" <<'PY'
import sys
try:
    import tomllib
except ImportError:  # Python 3.10
    try:
        import tomli as tomllib
    except ImportError:
        tomllib = None
if tomllib is None:
    print("setuptools>=68\nwheel")
else:
    with open(sys.argv[1], "rb") as fh:
        print("\n".join(tomllib.load(fh)["build-system"]["requires"]))
PY
)
"$PY" -m pip wheel --quiet -w "$1" "${BUILD_REQUIRES[@]}"
echo "wheelhouse: $(find "$1" -maxdepth 1 -name '*.whl' | wc -l) wheels in $1"
