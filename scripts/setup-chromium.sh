#!/usr/bin/env bash
# Provides the Chromium that the site's browser tests drive (playwright-core, scripts/test-site.mjs).
# Uses Debian's /usr/bin/chromium when present; otherwise, as root, installs it with apt-get;
# otherwise prints the exact command to run and exits 1. `npx playwright install` is not used:
# it downloads a browser from outside the package registries, which does not work here.
# Prints the browser's path on success (LENET5_CHROMIUM overrides it).
set -euo pipefail

if [[ -n "${LENET5_CHROMIUM:-}" ]]; then
  if [[ -x "$LENET5_CHROMIUM" ]]; then
    echo "$LENET5_CHROMIUM"
    exit 0
  fi
  echo "setup-chromium: LENET5_CHROMIUM=$LENET5_CHROMIUM is not an executable" >&2
  exit 1
fi

for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [[ -x "$candidate" ]]; then
    echo "$candidate"
    exit 0
  fi
done

install_command="apt-get update && apt-get install -y --no-install-recommends chromium"
if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
  echo "setup-chromium: installing Debian's chromium: $install_command" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends chromium >&2
  if [[ -x /usr/bin/chromium ]]; then
    echo /usr/bin/chromium
    exit 0
  fi
fi

echo "setup-chromium: no Chromium found. Install Debian's package as root:" >&2
echo "  sudo sh -c '$install_command'" >&2
echo "or point LENET5_CHROMIUM at a Chromium or Chrome binary." >&2
exit 1
