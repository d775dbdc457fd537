#!/bin/bash
# Type a Xen debug key on the serial socket: Ctrl-A three times switches the
# serial input from dom0 to Xen, then the key itself (e.g. C = crash dump).
#
#   type-debug-key.sh SOCKET KEY
set -euo pipefail
sock=$1 key=$2
printf '\001\001\001%s' "$key" | timeout 10 socat -u - "UNIX-CONNECT:$sock"
