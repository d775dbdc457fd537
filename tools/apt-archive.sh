#!/bin/bash
# Print the URI of the Debian archive this machine's apt already uses, so that a script
# needing a private list (deb-src for the test Xen, a trixie debootstrap) reaches the same
# archive without naming any host in this repository.
#
#   tools/apt-archive.sh [SUITE]
#
# Reads deb822 files (/etc/apt/sources.list.d/*.sources) first, then one-line lists
# (/etc/apt/sources.list, /etc/apt/sources.list.d/*.list). Picks the first "deb" entry whose
# suites include SUITE (default: this machine's codename, e.g. bookworm) and that is not a
# security archive (suite names ending in -security). With no such entry, any plain Debian
# suite's entry is taken (the main archive serves every release). Exits 1 with a message when
# the machine has no usable apt source.
set -euo pipefail
suite="${1:-$(. /etc/os-release && echo "${VERSION_CODENAME:-}")}"

# Emit "URI<TAB>SUITES" for every enabled deb entry.
entries() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function flush() { if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "") { n = split(uris, u, " "); for (i = 1; i <= n; i++) print u[i] "\t" suites } types = uris = suites = ""; enabled = "" }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      tolower($1) == "types:" { $1 = ""; types = $0 }
      tolower($1) == "uris:" { $1 = ""; uris = $0 }
      tolower($1) == "suites:" { $1 = ""; suites = $0 }
      tolower($1) == "enabled:" { enabled = tolower($2) }
      END { flush() }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI SUITE COMPONENTS...
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 3 { print $2 "\t " $3 }'
  done
}

pick() {   # pick PATTERN: first URI with a suite matching PATTERN and no -security suite
  entries | awk -F'\t' -v pat="$1" '
    $2 ~ /-security/ { next }
    { n = split($2, s, " "); for (i = 1; i <= n; i++) if (s[i] ~ pat) { print $1; exit } }'
}

uri=$(pick "^${suite}\$")
[ -n "$uri" ] || uri=$(pick '^[a-z]+$')
if [ -z "$uri" ]; then
  echo "apt-archive: no Debian archive found in this machine's apt sources (/etc/apt/sources.list.d/*.sources, /etc/apt/sources.list); add one or set the URI explicitly" >&2
  exit 1
fi
echo "${uri%/}"
