#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine: system packages (as root),
# a Python venv with the project and its test tools, front-end assets from the npm registry, and
# compiled translations. Safe to run again: every step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(fonts-noto-cjk fonts-lxgw-wenkai libcairo2 libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext poppler-utils chromium)
PYTHON=${PYTHON:-python3}

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "WARNING: missing Debian packages (run this script as root to install them): ${missing[*]}" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  echo "==> pip install -e .[dev]"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

lockstamp=node_modules/.installed-$(sha1sum package-lock.json | cut -c1-12)
if [ ! -f "$lockstamp" ]; then
  echo "==> npm ci (Bootstrap, htmx: served by the app, no CDN)"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$lockstamp"
fi

if command -v msgfmt >/dev/null 2>&1; then
  .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
else
  echo "WARNING: gettext (msgfmt) missing: English translations not compiled" >&2
fi
echo "==> setup done"
