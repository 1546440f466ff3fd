#!/usr/bin/env bash
# Provisions Jupyter for the notebooks and registers the tslab (TypeScript) kernel inside the
# project. Idempotent; `npm start`, `npm run test:notebooks`, CI and Binder's postBuild call it.
#
#   1. Find a Python that already has Jupyter (nbclient, nbconvert, jupyter_client, IPython and
#      JupyterLab or the classic Notebook): .venv/, $LENET5_PYTHON, python3 on PATH, /usr/bin/python3.
#   2. If none has it: pip into a project-local venv (.venv/) when the package index answers;
#      otherwise Debian's packages when root on Debian (Debian's own /usr/bin/python3, not a
#      pyenv/conda python3 that may be first on PATH); otherwise print the command and exit 1.
#   3. Register the tslab kernel under .jupyter-local/share/jupyter (never the user's global
#      Jupyter folders) and write .jupyter-local/setup.json, which the other scripts read.
#
# Environment: LENET5_PYTHON=<python> tries that Python first; LENET5_JUPYTER_VIA=pip|apt forces
# the install route. Use JUPYTER_PATH=<project>/.jupyter-local/share/jupyter to see the kernel.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.jupyter-local"
VENV="$ROOT/.venv"
DEBIAN_PACKAGES=(jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client)
PIP_PACKAGES=("jupyterlab>=4" "notebook>=7" "nbclient>=0.7" "nbconvert>=7" "ipykernel>=6")

say() { printf 'setup-jupyter: %s\n' "$*"; }
die() { printf 'setup-jupyter: ERROR: %s\n' "$*" >&2; exit 1; }

# Prints "lab" or "notebook" when $1 is a Python with everything the scripts need; fails otherwise.
jupyter_frontend() {
  "$1" - <<'PY' 2>/dev/null
import importlib.util as u, sys
need = ["nbclient", "nbconvert", "jupyter_client", "IPython"]
if any(u.find_spec(m) is None for m in need): sys.exit(1)
if u.find_spec("jupyterlab"): print("lab")
elif u.find_spec("notebook"): print("notebook")
else: sys.exit(1)
PY
}

# --- 1. a Python that already has Jupyter ----------------------------------------------------
candidates=()
[[ -x "$VENV/bin/python" ]] && candidates+=("$VENV/bin/python")
[[ -n "${LENET5_PYTHON:-}" ]] && candidates+=("$LENET5_PYTHON")
if command -v python3 >/dev/null 2>&1; then candidates+=("$(command -v python3)"); fi
[[ -x /usr/bin/python3 ]] && candidates+=(/usr/bin/python3)

PYTHON=""
FRONTEND=""
find_ready_python() {
  local py
  # (The ${a[@]+...} form keeps bash 3.2 on macOS happy with `set -u` and an empty array.)
  for py in ${candidates[@]+"${candidates[@]}"}; do
    if FRONTEND="$(jupyter_frontend "$py")"; then
      PYTHON="$py"
      return 0
    fi
  done
  return 1
}

# True when the package index pip is configured with (PyPI unless PIP_INDEX_URL or pip.conf says
# otherwise) answers within a few seconds. Local find-links/extra-index folders do not count.
index_reachable() {
  local py="$1" index tmp ok=1
  index="${PIP_INDEX_URL:-$("$py" -m pip config get global.index-url 2>/dev/null || true)}"
  index="${index:-https://pypi.org/simple}"
  tmp="$(mktemp -d)"
  if "$py" -m pip download --isolated --no-deps --no-cache-dir --disable-pip-version-check \
    --quiet --dest "$tmp" --timeout 5 --retries 0 --index-url "$index" nbclient >/dev/null 2>&1; then
    ok=0
  fi
  rm -rf "$tmp"
  return "$ok"
}

install_with_pip() {
  local base="$1"
  say "creating a project-local virtual environment: $VENV (from $base)"
  "$base" -m venv "$VENV" || return 1
  say "pip install ${PIP_PACKAGES[*]} (log: $LOCAL/pip.log)"
  if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off \
    "${PIP_PACKAGES[@]}" >"$LOCAL/pip.log" 2>&1; then
    tail -n 20 "$LOCAL/pip.log" >&2
    say "pip install failed; removing $VENV"
    rm -rf "$VENV"
    return 1
  fi
}

install_with_apt() {
  local started=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  say "apt-get update (log: $LOCAL/apt.log)"
  apt-get update -q >"$LOCAL/apt.log" 2>&1 || { tail -n 20 "$LOCAL/apt.log" >&2; return 1; }
  say "apt-get install --no-install-recommends ${DEBIAN_PACKAGES[*]}"
  # Quiet, but one progress line per 25 packages so a slow mirror does not look like a hang.
  if ! apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "${DEBIAN_PACKAGES[@]}" 2>&1 |
    tee -a "$LOCAL/apt.log" |
    awk '/newly installed/ || /^Need to get/ { print "setup-jupyter:   " $0; fflush() }
         /^Get:/ { if (++g % 25 == 0) { print "setup-jupyter:   downloaded " g " packages"; fflush() } }
         /^Setting up/ { if (++s % 25 == 0) { print "setup-jupyter:   configured " s " packages"; fflush() } }
         END { if (s) print "setup-jupyter:   configured " s " packages in all" }'; then
    tail -n 20 "$LOCAL/apt.log" >&2
    return 1
  fi
  say "apt install took $((SECONDS - started)) s"
}

print_manual_steps() {
  local quoted
  quoted="$(printf "'%s' " "${PIP_PACKAGES[@]}")"
  cat >&2 <<EOF
setup-jupyter: Jupyter is not installed and this script cannot install it here.
Install it one of these ways, then run \`npm start\` or \`npm run test:notebooks\` again:

  # Debian/Ubuntu (system packages, what CI uses):
  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${DEBIAN_PACKAGES[*]}

  # Anywhere with a Python 3.9+ and access to PyPI (a project-local venv, picked up automatically):
  python3 -m venv "$VENV" && "$VENV/bin/python" -m pip install ${quoted% }

  # Or point the script at a Python that already has Jupyter:
  LENET5_PYTHON=/path/to/python npm start
EOF
  exit 1
}

mkdir -p "$LOCAL"
via="${LENET5_JUPYTER_VIA:-}"
if [[ -z "$via" ]] && find_ready_python; then
  say "Jupyter found: $PYTHON ($FRONTEND)"
else
  is_root_debian=false
  if [[ "$(id -u)" == 0 && -r /etc/debian_version ]] && command -v apt-get >/dev/null 2>&1; then
    is_root_debian=true
  fi
  pip_base=""
  for py in ${candidates[@]+"${candidates[@]}"}; do
    if [[ "$py" != "$VENV/bin/python" ]] && "$py" -c 'import venv, ensurepip' >/dev/null 2>&1; then
      pip_base="$py"
      break
    fi
  done

  installed=false
  if [[ "$via" != apt && -n "$pip_base" ]]; then
    say "Jupyter not found; probing the Python package index (5 s timeout)"
    if [[ "$via" == pip ]] || index_reachable "$pip_base"; then
      install_with_pip "$pip_base" && installed=true
    else
      say "the package index does not answer"
    fi
  fi
  if [[ "$installed" == false && "$via" != pip && "$is_root_debian" == true ]]; then
    say "installing Jupyter from Debian's packages"
    install_with_apt && installed=true
  fi
  [[ "$installed" == true ]] || print_manual_steps

  # Prefer what was just installed: the venv, or Debian's own python3 after apt.
  candidates=("$VENV/bin/python" /usr/bin/python3 ${candidates[@]+"${candidates[@]}"})
  find_ready_python || die "Jupyter was installed but no Python can import it (see $LOCAL/*.log)"
  say "Jupyter installed: $PYTHON ($FRONTEND)"
fi

# --- 3. the tslab kernel, registered inside the project ----------------------------------------
command -v node >/dev/null 2>&1 || die "node is not on PATH"
NODE="$(command -v node)"
TSLAB_PACKAGE="$(cd "$ROOT/notebooks" && "$NODE" -p 'require.resolve("tslab/package.json")' 2>/dev/null)" ||
  die "tslab is not installed: run \`npm install\` (or \`npm ci\`) at $ROOT first"
TSLAB_BIN="$(dirname "$TSLAB_PACKAGE")/bin/tslab"

# The kernel spec starts this wrapper by absolute path, so the kernel needs neither tslab nor node
# on the PATH of whatever started Jupyter (an editor, a desktop launcher).
mkdir -p "$LOCAL/bin"
cat >"$LOCAL/bin/tslab" <<EOF
#!/bin/sh
# Written by scripts/setup-jupyter.sh: starts the project's tslab with the node that ran setup.
exec "$NODE" "$TSLAB_BIN" "\$@"
EOF
chmod +x "$LOCAL/bin/tslab"

"$NODE" "$TSLAB_BIN" install --python="$PYTHON" --binary="$LOCAL/bin/tslab" --prefix="$LOCAL" \
  >"$LOCAL/kernel-install.log" 2>&1 || {
  cat "$LOCAL/kernel-install.log" >&2
  die "tslab install failed"
}
KERNELS="$LOCAL/share/jupyter/kernels"
[[ -f "$KERNELS/tslab/kernel.json" ]] || die "tslab install wrote no $KERNELS/tslab/kernel.json"

# What the other scripts need to know, written by node so that any path is quoted correctly.
"$NODE" -e '
  const [python, frontend, jupyterPath, tslab, node, file] = process.argv.slice(1);
  const setup = { python, frontend, jupyterPath, kernel: "tslab", tslab, node };
  require("fs").writeFileSync(file, JSON.stringify(setup, null, 2) + "\n");
' "$PYTHON" "$FRONTEND" "$LOCAL/share/jupyter" "$TSLAB_BIN" "$NODE" "$LOCAL/setup.json"
say "registered kernels tslab (TypeScript) and jslab (JavaScript) in $KERNELS"
say "kernel command: $LOCAL/bin/tslab -> $NODE $TSLAB_BIN"
say "to use them from your own Jupyter: export JUPYTER_PATH=$LOCAL/share/jupyter"
