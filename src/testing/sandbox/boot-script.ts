/**
 * Units that would change the host from inside the sandbox (kernel settings, modules, clock,
 * files on the shared disk such as /var/log/wtmp or /var/cache): masked, whatever pulls them in.
 */
const MASKED_UNITS = [
  "systemd-sysctl.service", "systemd-modules-load.service", "systemd-binfmt.service",
  "proc-sys-fs-binfmt_misc.automount", "proc-sys-fs-binfmt_misc.mount", "systemd-timesyncd.service",
  "systemd-udevd.service", "systemd-udev-trigger.service", "systemd-random-seed.service",
  "systemd-update-utmp.service", "systemd-tmpfiles-setup.service", "systemd-tmpfiles-setup-dev.service",
  "systemd-tmpfiles-clean.service", "systemd-tmpfiles-clean.timer", "systemd-journal-flush.service",
  "systemd-remount-fs.service",
];

/**
 * The script that becomes PID 1 of a sandbox (DESIGN.md "Testing against real parts"), run by
 * `unshare --pid --fork --mount --uts --net --mount-proc`. Beyond the recipe it gives the sandbox
 * its own cgroup subtree `cgroup` (so two sandboxes never share a unit's cgroup and a
 * `systemctl kill` in one cannot reach the other), hides the host's unit enablement, and masks
 * units with effects outside the namespaces. `cgroup` must be a plain name ([a-z0-9-]).
 */
export function bootScript(options: { cgroup: string; journal: boolean; keep?: { paths: string[]; stash: string }; etcOverlay?: string; bootTarget?: string }): string {
  if (options.bootTarget !== undefined && !/^[a-z0-9-]+\.target$/.test(options.bootTarget)) throw new TypeError(`Invalid boot target "${options.bootTarget}"`);
  if (!/^[a-z0-9-]+$/.test(options.cgroup)) throw new TypeError(`Invalid cgroup name "${options.cgroup}"`);
  const keep = options.keep ?? { paths: [], stash: "" };
  for (const path of [...keep.paths, keep.stash, options.etcOverlay ?? ""]) {
    if (!/^[A-Za-z0-9/._@+-]*$/.test(path)) throw new TypeError(`Cannot keep "${path}" in the sandbox: only plain path characters are supported`);
  }
  const stashLines = keep.paths.map((path, index) => `mkdir -p ${keep.stash}/${index} && mount --bind ${path} ${keep.stash}/${index}`).join("\n");
  const restoreLines = keep.paths.map((path, index) => `mkdir -p ${path} && mount --bind ${keep.stash}/${index} ${path}`).join("\n");
  const wanted = [...(options.journal ? ["systemd-journald.socket", "systemd-journald.service"] : []), ...(options.bootTarget === undefined ? [] : [options.bootTarget])];
  const wants = wanted.length === 0 ? "" : `Wants=${wanted.join(" ")}\n${options.bootTarget === undefined ? "" : `After=${options.bootTarget}\n`}`;
  // With a /etc of its own, the sandbox's unit files and enablement links persist beside it, as on a disk.
  const unitDirectory = options.etcOverlay === undefined
    ? "mount -t tmpfs -o mode=0755 tmpfs /etc/systemd/system"
    : `mkdir -p ${options.etcOverlay}/units && chmod 0755 ${options.etcOverlay}/units && mount --bind ${options.etcOverlay}/units /etc/systemd/system`;
  return `#!/bin/bash
# PID 1 of a Lifeguard test sandbox, until it execs systemd. Written by src/testing/sandbox/boot-script.ts.
set -eu
cgroup=${options.cgroup}

# Our own cgroup subtree: systemd roots its tree where PID 1 sits.
if [ -f /sys/fs/cgroup/cgroup.procs ]; then
  hierarchies=/sys/fs/cgroup
else
  hierarchies="/sys/fs/cgroup/systemd /sys/fs/cgroup/unified"
fi
for hierarchy in $hierarchies; do
  [ -d "$hierarchy" ] || continue
  mkdir -p "$hierarchy/$cgroup"
  echo 0 > "$hierarchy/$cgroup/cgroup.procs"
done

mount --make-rprivate /
${options.etcOverlay === undefined ? "" : `# A writable /etc of the sandbox's own (users, polkit rules, cron and logrotate files): the host's
# /etc below, every change in ${options.etcOverlay}/upper, which a later sandbox may boot on again.
mkdir -p ${options.etcOverlay}/upper ${options.etcOverlay}/work
mount -t overlay overlay -o lowerdir=/etc,upperdir=${options.etcOverlay}/upper,workdir=${options.etcOverlay}/work /etc
`}# Paths the tests need inside that the tmpfs mounts below would hide (a checkout under /tmp, as
# CI may clone there): bound aside first, then bound back at the same path.
${stashLines}
# Without these, systemd-tmpfiles and friends would clean the host's /tmp; /etc/systemd/system
# hides the host's enabled units and overrides (and catches \`systemctl enable\` in tests): a tmpfs,
# or with an /etc overlay a directory beside it that a later sandbox boots on again.
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
mount -t tmpfs -o mode=0755 tmpfs /run
${unitDirectory}
if [ -d /var/log/journal ]; then mount -t tmpfs -o mode=2755 tmpfs /var/log/journal; fi
# systemd's own state (a Persistent= timer's stamp, the random seed): the host's below, the
# sandbox's writes apart (beside its /etc when it has one, so that a reboot finds them again).
state=${options.etcOverlay === undefined ? "/run/lab-systemd-state" : `${options.etcOverlay}/systemd-state`}
if [ -d /var/lib/systemd ]; then
  mkdir -p "$state/upper" "$state/work"
  mount -t overlay overlay -o "lowerdir=/var/lib/systemd,upperdir=$state/upper,workdir=$state/work" /var/lib/systemd
fi
# The distribution's *.wants links would start the whole boot; only lab.target's wants count here.
mkdir /run/lab-empty
for wants in /lib/systemd/system/*.wants; do
  [ -d "$wants" ] && mount --bind /run/lab-empty "$wants"
done
${restoreLines}
ip link set lo up

mkdir -p /run/systemd/system
for unit in ${MASKED_UNITS.join(" ")}; do
  ln -s /dev/null "/run/systemd/system/$unit"
done
cat > /run/systemd/system/lab.target <<'UNIT'
[Unit]
Description=Lifeguard test lab
DefaultDependencies=no
${wants}UNIT

export container=other
exec /lib/systemd/systemd --system --unit=lab.target
`;
}
