#!/bin/bash
# Build xen-kexec-load and the test-only xen-kexec-fidelity (release, Swift stdlib
# linked in) into a scratch folder outside the repo, so we never touch the .build others
# work in, and copy the binaries to $OUT. On failure the old binaries are removed:
# scenarios must never run a stale tool.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

rm -f "$OUT/xen-kexec-load" "$OUT/xen-kexec-fidelity"
cd "$REPO"
args=(-c release --static-swift-stdlib --scratch-path "$E2E/swift-build")
for product in xen-kexec-load xen-kexec-fidelity; do
  swift build "${args[@]}" --product "$product" >&2
done
bin="$(swift build "${args[@]}" --show-bin-path)"
cp "$bin/xen-kexec-load" "$OUT/xen-kexec-load"
cp "$bin/xen-kexec-fidelity" "$OUT/xen-kexec-fidelity"
log "tool built: $(git -C "$REPO" log -1 --format='%h %s')"
