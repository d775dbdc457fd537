#!/bin/bash
# Regenerates the fault campaign's tables in docs/reliability.md (between the
# fault-campaign markers) from a run of FaultCampaignTests. Without this, that test
# compares the file with its run and fails when the tables are stale.
# Usage: tools/reliability-table.sh
set -euo pipefail
cd "$(dirname "$0")/.."
nice -n 10 swift build --build-tests
XEN_KEXEC_WRITE_RELIABILITY=1 swift test --skip-build --filter FaultCampaignTests
git --no-pager diff --stat -- docs/reliability.md
