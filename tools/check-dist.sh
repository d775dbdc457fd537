#!/bin/bash
# Checks the shipped integration files against the built tool:
#   - systemd-analyze verify on dist/xen-kexec-load.service (with the unit's
#     /usr/sbin/xen-kexec-load pointed at the built binary),
#   - the committed man page equals what swift-argument-parser generates now,
#   - the completion scripts are produced for bash, zsh and fish.
# Usage: tools/check-dist.sh [PATH-TO-BUILT-xen-kexec-load]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/debug/xen-kexec-load}"
[ -x "$bin" ] || { echo "check-dist: $bin not built (run swift build)" >&2; exit 1; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

sed "s#/usr/sbin/xen-kexec-load#$bin#g" dist/xen-kexec-load.service > "$tmp/xen-kexec-load.service"
out=$(systemd-analyze verify --man=no "$tmp/xen-kexec-load.service" 2>&1 || true)
if [ -n "$out" ]; then echo "check-dist: systemd-analyze verify complained:"; echo "$out"; exit 1; fi
echo "check-dist: systemd-analyze verify: clean"

for shell in bash zsh fish; do
  "$bin" --generate-completion-script "$shell" > "$tmp/completion.$shell"
  for sub in inspect plan load unload exec status range provision estimate; do
    grep -q "$sub" "$tmp/completion.$shell" || { echo "check-dist: $shell completion lacks '$sub'"; exit 1; }
  done
done
echo "check-dist: bash, zsh and fish completions list every subcommand"

tools/generate-manual.sh "$tmp/man"
if ! cmp -s "$tmp/man/xen-kexec-load.8" docs/xen-kexec-load.8; then
  echo "check-dist: docs/xen-kexec-load.8 is stale; run tools/generate-manual.sh and commit it"
  diff -u docs/xen-kexec-load.8 "$tmp/man/xen-kexec-load.8" | head -40
  exit 1
fi
echo "check-dist: docs/xen-kexec-load.8 matches the code"
