#!/bin/bash
# Build xen-kexec-load (release, Swift stdlib linked in) into a scratch folder
# outside the repo, so we never touch the .build others work in, and copy the
# binary to $OUT. On failure the old binary is removed: scenarios must never run
# a stale tool.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

rm -f "$OUT/xen-kexec-load"
cd "$REPO"
args=(-c release --static-swift-stdlib --product xen-kexec-load --scratch-path "$E2E/swift-build")
swift build "${args[@]}" >&2
bin="$(swift build "${args[@]}" --show-bin-path)/xen-kexec-load"
cp "$bin" "$OUT/xen-kexec-load"
log "tool built: $(git -C "$REPO" log -1 --format='%h %s')"
