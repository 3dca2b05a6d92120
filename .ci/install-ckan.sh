#!/usr/bin/env bash
# Install CKAN and ckanext-dcat from PyPI into a virtualenv, for the harvest test
# (tests/catalog/test_ckan_harvest.py). CKAN is only imported, never run: no
# database, no Solr, no Redis.
#
#   bash .ci/install-ckan.sh .venv
#
# The ckan 2.12 wheel declares no runtime dependencies, so the modules that
# ckanext-dcat imports (ckan.plugins.toolkit and what it pulls in) need CKAN's
# own pinned requirements, which only its source package carries. We take
# requirements.txt from the sdist and install it, except psycopg2 (needs
# PostgreSQL headers; never imported here). A requirement the venv already has
# is left at its installed version so the project's own pins win.
# Idempotent: when both packages import at the wanted versions, it does nothing.
set -euo pipefail

VENV=${1:?usage: install-ckan.sh VENV}
CKAN_VERSION=${CKAN_VERSION:-2.12.0}
DCAT_VERSION=${CKANEXT_DCAT_VERSION:-2.4.4}
PY="$VENV/bin/python"
[ -x "$PY" ] || { echo "install-ckan: no python at $PY" >&2; exit 2; }

installed() {
    "$PY" - "$CKAN_VERSION" "$DCAT_VERSION" <<'PYEOF'
import sys
from importlib.metadata import PackageNotFoundError, version

try:
    ok = version("ckan") == sys.argv[1] and version("ckanext-dcat") == sys.argv[2]
    if ok:
        from ckanext.dcat.processors import RDFParser  # noqa: F401
        from ckanext.dcat.profiles import EuropeanDCATAP3Profile  # noqa: F401
except (PackageNotFoundError, ImportError):
    ok = False
sys.exit(0 if ok else 1)
PYEOF
}

if installed; then
    echo "install-ckan: ckan $CKAN_VERSION and ckanext-dcat $DCAT_VERSION already importable"
    exit 0
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PIP=("$PY" -m pip --disable-pip-version-check -q)

# CKAN's pinned requirements, from its sdist (the wheel has none).
"${PIP[@]}" download --no-deps --no-binary :all: "ckan==$CKAN_VERSION" -d "$WORK" 2>&1 \
    | grep -v "is ignored" || true
tar -xzf "$WORK/ckan-$CKAN_VERSION.tar.gz" -C "$WORK" "ckan-$CKAN_VERSION/requirements.txt"
"$PY" - "$WORK/ckan-$CKAN_VERSION/requirements.txt" "$WORK/reqs.txt" <<'PYEOF'
import re
import sys
from importlib.metadata import PackageNotFoundError, version

skip = {"psycopg2"}  # needs libpq headers to build; ckanext-dcat never imports it
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name = re.split(r"[=<>!\[ ;]", line, maxsplit=1)[0]
    if name.lower() in skip:
        continue
    try:
        version(name)
        out.append(name)  # already there: keep the venv's version
    except PackageNotFoundError:
        out.append(line)
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PYEOF

"${PIP[@]}" install -r "$WORK/reqs.txt" 2>&1 | grep -v "is ignored" || true
"${PIP[@]}" install --no-deps "ckan==$CKAN_VERSION" 2>&1 | grep -v "is ignored" || true
"${PIP[@]}" install "ckanext-dcat==$DCAT_VERSION" 2>&1 | grep -v "is ignored" || true

if installed; then
    echo "install-ckan: installed ckan $CKAN_VERSION and ckanext-dcat $DCAT_VERSION"
else
    echo "install-ckan: ckanext.dcat.processors does not import after install" >&2
    "$PY" -c "from ckanext.dcat.processors import RDFParser" >&2 || true
    exit 1
fi
