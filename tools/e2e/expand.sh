#!/bin/bash
# Print every e2e run as the harness loads it, without booting anything:
#
#   tools/e2e/expand.sh [RUN...]            (default: every run, bench-* included)
#   tools/e2e/expand.sh --guest [RUN...]    what dom0's busybox ash sees (needs root: chroot)
#   tools/e2e/expand.sh --list              the run names, one a line
#   tools/e2e/expand.sh --check             every run loads without error; prints the counts
#
# Host view: for each run, "== RUN", then every variable that lib.sh's load_scenario leaves
# set (its defaults and whatever the scenario file adds, `declare -p`) and every function the
# scenario defines (`declare -f`), sorted by name. Guest view: the variables busybox ash has
# after init-dom0.sh's sequence (guest/lib.sh, then /e2e/scenarios/RUN.sh), as ash's
# `set` prints them, in an image tree made the way
# build-initramfs.sh makes dom0's. Two checkouts whose outputs are identical run the same
# scenarios with the same settings.
set -euo pipefail
export XEN_KEXEC_CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
. "$(dirname "$0")/lib.sh"

# run_names: every run, one a line (one per scenario file, or the runs lib.sh expands).
run_names() {
  if declare -F scenario_runs >/dev/null; then printf '%s\n' "${SCENARIO_RUNS:-$(scenario_runs)}" | cut -d' ' -f1; return; fi
  local f
  for f in "$HERE"/scenarios/*.sh; do basename "$f" .sh; done
}

# host_view RUN: the loaded scenario's variables and functions.
host_view() (
  local -a vars0 funcs0
  mapfile -t vars0 < <(compgen -v)
  mapfile -t funcs0 < <(compgen -A function)
  local -A before=() known=()
  local v
  for v in "${vars0[@]}"; do before[$v]=$(declare -p "$v" 2>/dev/null || true); done
  for v in "${funcs0[@]}"; do known[$v]=1; done
  load_scenario "$1"
  echo "== $1"
  # Shell internals, and the names the axis expansion uses to pick the run's values.
  local skip='^(BASH.*|FUNCNAME|LINENO|RANDOM|SRANDOM|SECONDS|EPOCH.*|PIPESTATUS|_|COMP_.*|AXES|RUN_AXES|vars0|funcs0|before|known|v|now|skip)$'
  for v in $(compgen -v | LC_ALL=C sort); do
    [[ $v =~ $skip ]] && continue
    local now; now=$(declare -p "$v" 2>/dev/null) || continue
    [ "$now" != "${before[$v]:-}" ] && echo "$now"
  done
  for v in $(compgen -A function | LC_ALL=C sort); do
    [ -n "${known[$v]:-}" ] || declare -f "$v"
  done
)

# guest_tree DIR: dom0's /e2e as build-initramfs.sh lays it out, busybox as /bin/busybox.
guest_tree() {
  install -D -m 755 "$(command -v busybox)" "$1/bin/busybox"
  install -D -m 644 "$HERE/guest/lib.sh" "$1/e2e/lib.sh"
  printf 'CRASH_CMDLINE=%q\n' "$CRASH_CMDLINE" > "$1/e2e/env.sh"
  if declare -F install_scenarios >/dev/null; then
    install_scenarios "$1/e2e"
  else
    install -D -m 644 -t "$1/e2e/scenarios" "$HERE"/scenarios/*.sh
  fi
  mkdir -p "$1/tmp" "$1/usr/bin" "$1/sbin" "$1/usr/sbin"
  chroot "$1" /bin/busybox --install -s   # as init-dom0.sh does
}

# guest_view DIR RUN: every variable dom0's shell has after sourcing the scenario (guest/lib.sh's
# included: the same file in both checkouts), NAME='VALUE' a variable, sorted, but for the
# settings load_scenario defaults (EXPECT, XEN, ...): those are the host's (the host view
# shows them) and no code in dom0 reads them.
guest_view() {
  local knobs
  knobs=$(sed -n '/^load_scenario() {/,/^  \. "\$f"/s/^  \([A-Z_][A-Z0-9_]*\)=.*/\1/p' "$HERE/lib.sh" | tr '\n' ' ')
  echo "== $2"
  env -i "$(command -v chroot)" "$1" /bin/busybox sh -c '
    scenario=$1 knobs=" $2 PPID _ AXES RUN_AXES knobs "
    . /e2e/lib.sh
    . "/e2e/scenarios/$scenario.sh"
    for n in $(set | sed -n "s/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p" | sort -u); do
      case $knobs in *" $n "*) continue ;; esac
      eval "[ \"\${$n+set}\" = set ]" || continue
      eval "printf \"%s=%s\\n\" \"\$n\" \"'\''\$$n'\''\""
    done
  ' - "$2" "$knobs"
}

# check: every run loads (load_scenario in a subshell: a scenario error, an AXES error or a
# run named twice fails), every scenario file's own run is among the runs, and the counts.
check() {
  local r f n=0 suite=0 in_default
  for r in "${runs[@]}"; do
    in_default=$(load_scenario "$r" >/dev/null && echo "$DEFAULT_RUN") || die "run $r does not load"
    n=$((n + 1))
    case $r in bench-*) ;; *) [ "$in_default" != yes ] || suite=$((suite + 1)) ;; esac
  done
  for f in "$HERE"/scenarios/*.sh; do
    printf '%s\n' "${runs[@]}" | grep -qxF "$(basename "$f" .sh)" || die "no run of $f under its own name"
  done
  echo "$n runs from $(find "$HERE/scenarios" -name '*.sh' | wc -l) scenario files; $suite in the suite (run-suite.sh leaves out bench-* and DEFAULT_RUN=no)"
}

mode=host
case ${1:-} in
  --list) run_names; exit ;;
  --check) mode=check; shift ;;
  --guest) mode=guest; shift ;;
  -*) die "usage: expand.sh [--guest | --list | --check] [RUN...]" ;;
esac
if declare -F scenario_runs >/dev/null; then SCENARIO_RUNS=$(scenario_runs); fi
if [ $# -gt 0 ]; then runs=("$@"); else mapfile -t runs < <(run_names); fi
[ "$mode" != check ] || { check; exit; }
if [ "$mode" = guest ]; then
  tree=$(mktemp -d)
  trap 'rm -rf "$tree"' EXIT
  guest_tree "$tree"
  for r in "${runs[@]}"; do guest_view "$tree" "$r"; done
else
  for r in "${runs[@]}"; do host_view "$r"; done
fi
