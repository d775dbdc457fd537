# not-dom0: the same kernel and initramfs booted by QEMU without Xen. load, status
# and range must each exit 69 (EX_UNAVAILABLE) with a one-line reason.
XEN=none
EXPECT='E2E: load rc=69
E2E: load said 1 line
E2E: status rc=69
E2E: status said 1 line
E2E: range rc=69
E2E: range said 1 line'
FORBID='(XEN)'

dom0() {
  need_tool || return 1
  for cmd in load status range; do
    case $cmd in
      load) set -- load "$KERNEL" --initrd "$INITRD" --type crash ;;
      *)    set -- "$cmd" ;;
    esac
    "$TOOL" "$@" > /tmp/out.txt 2>&1
    mark "$cmd rc=$?"
    sed 's/^/  | /' /tmp/out.txt
    mark "$cmd said $(grep -c . /tmp/out.txt) line$( [ "$(grep -c . /tmp/out.txt)" = 1 ] || echo s)"
  done
}
