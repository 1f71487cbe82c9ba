# Shared by scripts/run and scripts/test: make .venv and install the project.
# Sourced, not run. Re-installs only when pyproject.toml changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${SALESBENCH_PYTHON:-python3}"

ensure_venv() {
  local extras="$1" stamp want
  if [ ! -x "$VENV/bin/python" ]; then
    echo "salesbench: creating $VENV" >&2
    "$PY" -m venv "$VENV"
  fi
  stamp="$VENV/.salesbench-installed"
  want="$extras $(cksum < "$ROOT/pyproject.toml")"
  if [ ! -f "$stamp" ] || ! grep -qxF -- "$want" "$stamp"; then
    echo "salesbench: installing the project into .venv${extras:+ (with $extras)}" >&2
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT${extras:+[$extras]}" >&2
    echo "$want" > "$stamp"
  fi
}
