# fault-lock-unprivileged: a local unprivileged user (uid 1000, made in dom0, commands run
# through busybox su) tries to take or replace the lock of `load`, `unload` and `provision`
# (/run/xen-kexec-load/lock, in a 0700 root directory, opened with O_NOFOLLOW) and has no
# effect. /run is made 0755 root, as on Debian (systemd mounts it so).
# - Before any load: the user cannot create /run/xen-kexec-load nor put a symlink there.
# - After root's first load made the directory: the user cannot list it, open, create,
#   truncate, symlink, rename or remove the lock, nor open it through /proc/PID/fd of a
#   root load in progress; the tool run as the user exits 77 and changes nothing.
# - Each time, root's next load with --lock-timeout 1 succeeds without waiting (nobody holds
#   the lock), and status agrees.
# - On a host whose /run others can write (this dom0's tmpfs default, 1777), a user who
#   creates /run/xen-kexec-load first is refused: root's load exits 77 naming the directory
#   (the tool does not trust it) and the armed image stays armed; a record the user plants
#   there is not believed: status exits 4 and says the record is not to be trusted.
# The panic boots the image of root's last load (user=after).
EXPECT="E2E: user: mkdir /run/xen-kexec-load rc=1
E2E: user: symlink /run/xen-kexec-load rc=1
E2E: load user=first rc=0
E2E: user: list the lock directory rc=1
E2E: user: open the lock rc=1
E2E: user: create a lock beside it rc=1
E2E: user: symlink over the lock rc=1
E2E: user: rename the lock rc=1
E2E: user: remove the lock rc=1
E2E: user: open the lock through /proc/PID/fd of a root load rc=1
E2E: user: xen-kexec-load unload rc=77
E2E: user: xen-kexec-load load rc=77
E2E: status after the user's attempts rc=0
E2E: load user=after (lock timeout 1 s) rc=0
E2E: world-writable /run: load user=squatted rc=77
is not to be trusted (owned by uid 1000)
E2E: status with the user's record rc=4
E2E: status after the squatted load rc=0
E2E: load user=after rc=0
$PANIC_EXPECT
purgatory: sha256 digests match
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load user=after
$CRASH_DONE_EXPECT"
FORBID='rebooting machine
waiting for another xen-kexec-load
e2e_loader=xen-kexec-load user=squatted
armed: crash image /tmp/planted-by-e2e'

user_load() {   # user_load TAG [ARGS...]
  _t=$1; shift
  "$TOOL" load "$KERNEL" --initrd "$INITRD" --type crash --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load user=$_t" "$@"
}
# as_user LABEL SHELL-COMMAND: run it as uid 1000; it must fail ("rc=1": any failure).
as_user() {
  _label=$1; shift
  su -s /bin/sh e2e -c "$1" 2>&1 | sed 's/^/E2E-USER: /'
  _rc=$(cat /tmp/e2e-user.rc 2>/dev/null); rm -f /tmp/e2e-user.rc
  mark "user: $_label rc=$_rc"
}

dom0() {
  need_tool || return 1
  chmod 0755 /run
  mkdir -p /etc
  [ -f /etc/passwd ] || echo 'root:x:0:0:root:/:/bin/sh' > /etc/passwd
  echo 'e2e:x:1000:1000:e2e:/tmp:/bin/sh' >> /etc/passwd
  echo 'e2e:x:1000:' >> /etc/group
  # Each attempt writes 0 (it worked: a FAIL follows) or 1 (refused) to /tmp/e2e-user.rc.
  try='then echo 0 > /tmp/e2e-user.rc; echo "E2E: FAIL the user could do it"; else echo 1 > /tmp/e2e-user.rc; fi'
  as_user "mkdir /run/xen-kexec-load" "if mkdir /run/xen-kexec-load; $try"
  as_user "symlink /run/xen-kexec-load" "if ln -s /tmp /run/xen-kexec-load; $try"
  expect 0 "load user=first" user_load first || return 1
  mark "lock directory: $(ls -ld /run/xen-kexec-load), lock: $(ls -l /run/xen-kexec-load/lock)"
  as_user "list the lock directory" "if ls /run/xen-kexec-load; $try"
  as_user "open the lock" "if (exec 9< /run/xen-kexec-load/lock); $try"
  as_user "create a lock beside it" "if (: > /run/xen-kexec-load/lock2); $try"
  as_user "symlink over the lock" "if ln -sf /tmp/mine /run/xen-kexec-load/lock; $try"
  as_user "rename the lock" "if mv /run/xen-kexec-load/lock /run/xen-kexec-load/old; $try"
  as_user "remove the lock" "if rm -f /run/xen-kexec-load/lock; $try"
  # A root load in progress holds the lock: its descriptor is not the user's to open.
  "$TOOL" load "$KERNEL" --initrd "$INITRD" --type crash \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load user=inflight" > /tmp/inflight.log 2>&1 &
  pid=$!
  n=0   # until root sees the lock among the load's open files
  until ls -l "/proc/$pid/fd" 2>/dev/null | grep -q /run/xen-kexec-load/lock || [ $n -ge 100 ]; do usleep 50000; n=$((n + 1)); done
  mark "root load $pid holds: $(ls -l "/proc/$pid/fd" 2>/dev/null | grep -o '[0-9]* -> /run/xen-kexec-load/lock')"
  as_user "open the lock through /proc/PID/fd of a root load" \
    "ok=1; for f in /proc/$pid/fd/*; do if (exec 9< \"\$f\"); then ok=0; fi; done 2>/dev/null; if [ \$ok = 0 ] || ls /proc/$pid/fd >/dev/null 2>&1; $try"
  wait "$pid"
  mark "root load in flight rc=$?"
  su -s /bin/sh e2e -c "$TOOL unload --type crash" 2>&1; mark "user: xen-kexec-load unload rc=$?"
  su -s /bin/sh e2e -c "$TOOL load $KERNEL --type crash" 2>&1; mark "user: xen-kexec-load load rc=$?"
  expect 0 "status after the user's attempts" "$TOOL" status --type crash || return 1
  mark "lock after the user's attempts: $(ls -l /run/xen-kexec-load/lock)"
  expect 0 "load user=after (lock timeout 1 s)" user_load after --lock-timeout 1 || return 1

  # A /run others can write: the user squats the directory before root's first lock.
  rm -rf /run/xen-kexec-load.saved && mv /run/xen-kexec-load /run/xen-kexec-load.saved
  chmod 1777 /run
  su -s /bin/sh e2e -c 'mkdir -m 0700 /run/xen-kexec-load' && mark "user made $(ls -ld /run/xen-kexec-load)"
  expect 77 "world-writable /run: load user=squatted" user_load squatted --lock-timeout 1
  # The user also plants a record there, copied from root's with another kernel's name.
  sed 's|^kernel=.*|kernel=/tmp/planted-by-e2e|' /run/xen-kexec-load.saved/crash.record > /tmp/planted
  chmod 644 /tmp/planted
  su -s /bin/sh e2e -c 'cp /tmp/planted /run/xen-kexec-load/crash.record' && mark "user planted $(ls -l /run/xen-kexec-load/crash.record)"
  # status reads without the lock: it must not believe a record in a directory the user owns.
  expect 4 "status with the user's record" "$TOOL" status --type crash
  rm -rf /run/xen-kexec-load && mv /run/xen-kexec-load.saved /run/xen-kexec-load && chmod 0755 /run
  expect 0 "status after the squatted load" "$TOOL" status --type crash || return 1
  expect 0 "load user=after" user_load after --lock-timeout 1 || return 1
  panic
}
