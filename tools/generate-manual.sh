#!/bin/bash
# Regenerates the man page xen-kexec-load(8) from the command definitions with
# swift-argument-parser's GenerateManual plugin, with a fixed date so the output is
# reproducible. It documents the debug build: the help text is the same in every
# configuration, and the test command has just built debug, so no release build is needed.
# Usage: tools/generate-manual.sh [OUT-DIR]   (default: docs/)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs}"
mkdir -p "$out"
swift package --allow-writing-to-package-directory generate-manual --configuration debug \
  --section 8 --date 2026-11-25 --authors "the xen-kexec developers" >&2
page=$(find .build/plugins/GenerateManual/outputs -name 'xen-kexec-load.8' | head -1)
[ -n "$page" ] || { echo "generate-manual: no xen-kexec-load.8 produced" >&2; exit 1; }
cp "$page" "$out/xen-kexec-load.8"
