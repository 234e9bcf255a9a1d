#!/usr/bin/env bash
# Fresh-machine set-up: a virtualenv in .venv with the bot and its development tools.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"
.venv/bin/chuangwen --version
