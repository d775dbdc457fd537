#!/bin/bash
# Build the libFuzzer targets of the KexecImage parsers and run each one.
#
#   tools/fuzz/run.sh [RUNS] [TARGET...]
#
# RUNS defaults to 1000000 executions per target; TARGET is one of bzimage, pe,
# elf-envelope, kernel-image (default: all). Each target is compiled with
#   swiftc -O -sanitize=fuzzer -parse-as-library Sources/KexecImage/*.swift FuzzX.swift Consume.swift
# (the KexecImage sources compiled in, no package build), into $FUZZ_OUT (default
# .build-fuzz/). The committed seeds in tools/fuzz/corpus/TARGET are read-only inputs; new
# inputs go to $FUZZ_OUT/corpus/TARGET and crashes to $FUZZ_OUT/crashes/TARGET. libFuzzer's
# final statistics (execs, exec/s, coverage) are printed and kept in $FUZZ_OUT/TARGET.log.
# Exits non-zero if any target crashes.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-1000000}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(bzimage pe elf-envelope kernel-image)
OUT="${FUZZ_OUT:-.build-fuzz}"
SWIFTC="${SWIFTC:-swiftc}"
mkdir -p "$OUT"
# Let libFuzzer's own signal handler catch a Swift trap and save the crashing input
# (Swift's backtracer would otherwise take the signal first).
export SWIFT_BACKTRACE=enable=no

source_of() {
  case "$1" in
    bzimage) echo FuzzBzImage.swift ;;
    pe) echo FuzzPE.swift ;;
    elf-envelope) echo FuzzELFEnvelope.swift ;;
    kernel-image) echo FuzzKernelImage.swift ;;
    *) echo "fuzz: unknown target $1 (bzimage, pe, elf-envelope, kernel-image)" >&2; exit 64 ;;
  esac
}

failed=0
for t in "${TARGETS[@]}"; do
  src=$(source_of "$t")
  bin="$OUT/fuzz-$t"
  echo "== building $bin" >&2
  "$SWIFTC" -O -swift-version 6 -sanitize=fuzzer -parse-as-library -module-name Fuzz \
    Sources/KexecImage/*.swift "tools/fuzz/$src" tools/fuzz/Consume.swift -o "$bin"
  mkdir -p "$OUT/corpus/$t" "$OUT/crashes/$t"
  echo "== running $t for $RUNS executions" >&2
  start=$(date +%s)
  if "$bin" -runs="$RUNS" -print_final_stats=1 -max_len=8192 \
       -artifact_prefix="$OUT/crashes/$t/" "$OUT/corpus/$t" "tools/fuzz/corpus/$t" \
       >"$OUT/$t.log" 2>&1; then
    status=ok
  else
    status=CRASH; failed=1
  fi
  secs=$(( $(date +%s) - start ))
  cov=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$OUT/$t.log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
  grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb' "$OUT/$t.log" | tr '\n' ' ' || true
  echo
  echo "$t: $status, ${secs}s, $cov, corpus $(ls "$OUT/corpus/$t" | wc -l) files"
  [ "$status" = ok ] || tail -40 "$OUT/$t.log" >&2
done
exit $failed
