# Shared by scripts/run and scripts/test: make .venv and install the project.
# Sourced, not run. Installs again only when pyproject.toml changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${SALESBENCH_PYTHON:-python3}"

# ensure_venv EXTRAS: install the project with these extras ("" for none). An install
# with the test extras also serves scripts/run, so switching between the two is free.
ensure_venv() {
  local extras="$1" sum log
  if [ ! -x "$VENV/bin/python" ]; then
    echo "salesbench: creating $VENV" >&2
    "$PY" -m venv "$VENV"
  fi
  sum="$(cksum < "$ROOT/pyproject.toml")"
  if grep -qxF -- "$sum" "$VENV/.installed-${extras:-base}" 2>/dev/null \
     || { [ -z "$extras" ] && grep -qxF -- "$sum" "$VENV/.installed-test" 2>/dev/null; }; then
    return 0
  fi
  echo "salesbench: installing the project into .venv${extras:+ (with $extras extras)}" >&2
  log="$VENV/install.log"
  if ! { "$VENV/bin/python" -m pip install --upgrade pip \
         && "$VENV/bin/python" -m pip install -e "$ROOT${extras:+[$extras]}"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "salesbench: installation failed; the whole log is in $log" >&2
    return 1
  fi
  # An editable install compiles nothing, and where PYTHONDONTWRITEBYTECODE is set
  # (this machine sets it) every start would compile the whole package again: ~70 ms
  # of a 0.6 s first paint. Compiled once here, Python uses the files while they match.
  "$VENV/bin/python" -m compileall -q "$ROOT/salesbench" >>"$log" 2>&1 || true
  rm -f "$VENV"/.installed-*
  echo "$sum" > "$VENV/.installed-${extras:-base}"
}
