# Sourced by scripts/demo and scripts/test: installs what the project needs, idempotently.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# uv cannot download interpreters here; use a Python 3.11 or 3.12 already on the machine.
export UV_PYTHON_DOWNLOADS=never
export UV_PYTHON="${UV_PYTHON:->=3.11,<3.13}"
if ! command -v uv >/dev/null 2>&1; then
  for candidate in python3.12 python3.11 python3; do
    # pyenv shims answer `command -v` for versions that are not selected: ask the interpreter itself.
    if "$candidate" -c "import sys" >/dev/null 2>&1; then
      echo "[bootstrap] installing uv with $candidate -m pip"
      "$candidate" -m pip install --user --quiet uv 2>/dev/null \
        || "$candidate" -m pip install --user --quiet --break-system-packages uv
      break
    fi
  done
  export PATH="$HOME/.local/bin:$PATH"
fi
uv sync --frozen --quiet

# Front-end assets (Bootstrap, htmx) and the communes data come from the npm registry.
if ! command -v npm >/dev/null 2>&1; then
  echo "[bootstrap] npm is missing: install Node.js (apt-get install -y nodejs npm)" >&2
  exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
