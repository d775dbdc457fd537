# bench-dump-dom0-double (a benchmark, not in the default suite: tools/bench/dump-cost.sh runs it):
# dump-dom0-panic-guest on a 2 GiB host with a guest of 128 MiB, 96 MiB of it filled with the
# seeded pattern, and dom0 at 768M; with the package's dump settings (-X -E -d 31) the dump
# holds Xen and dom0, so its size and time should not follow the guest's memory
# (bench-dump-guest-small against bench-dump-guest-large) but should follow dom0's
# (bench-dump-dom0-double). The checks are dump-dom0-panic-guest's, nothing on time.
DUMP_RUN=bench-dump-dom0-double
GUEST_MEM=128
GUEST_MIB=96
DUMP_DOM0_MEM=768M
DUMP_HOST_MEM=2G
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/dump-dom0-panic-guest.sh"; else . /e2e/scenarios/dump-dom0-panic-guest.sh; fi
