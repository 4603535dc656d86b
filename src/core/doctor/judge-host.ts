import { adminCommand, allOf, writeFileCommand, type FixContext } from "./fixes.js";
import { fail, ok, warn, type Finding } from "./finding.js";

/** Node majors past their end of life that Lifeguard still runs on (package.json `engines`: >=20). */
const END_OF_LIFE = new Set([20, 21, 23]);
const MIN_MAJOR = 20;

/**
 * Whether this Node runs Lifeguard: below 20 it does not; 20 (end of life April 2026) and odd
 * releases warn. `rebuild`: the command that rebuilds Lifeguard's native parts for the new Node
 * (`npm rebuild` in its directory), which the fix names after the upgrade.
 */
export function judgeNode(version: string, rebuild: string): Finding {
  const fix = `install Node.js 22 or 24 (an LTS release), then rebuild Lifeguard's native parts for it: ${rebuild}`;
  const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? Number.NaN);
  if (!(major >= MIN_MAJOR)) return fail("node", `Node.js ${version} is not supported: Lifeguard needs 20 or later`, fix);
  if (END_OF_LIFE.has(major)) return warn("node", `Node.js ${version} is supported but past its end of life: no more security fixes; 22 or 24 are recommended`, fix);
  return ok("node", `Node.js ${version} is supported`);
}

/** File systems whose locking SQLite's WAL cannot trust: the store on them corrupts or refuses to lock. */
const REMOTE = /^(nfs\d*|cifs|smb\d*|smbfs|fuse(\..*|blk)?|9p|afs|ceph|glusterfs|lustre|sshfs)$/;
/** File systems that forget at reboot: restart counts and gave-up states would be lost. */
const VOLATILE = new Set(["tmpfs", "ramfs"]);

/** The state directory's file system (`stat -f -c %T`), judged for the store. */
export function judgeStateFileSystem(dir: string, type: string, fixState: string): Finding | null {
  if (REMOTE.test(type)) return fail("state", `${dir} is on ${type}, a network or user-space file system: SQLite cannot lock the store reliably there`, fixState);
  if (VOLATILE.has(type)) return warn("state", `${dir} is on ${type}: the store (restart counts, gave-up states, history) is lost at every reboot`, fixState);
  return null;
}

/** What the box says about its clock: `timedatectl show -p NTPSynchronized -p CanNTP`, or timesyncd's flag file. */
export interface ClockReading {
  /** null: neither timedatectl nor timesyncd could tell. */
  synchronised: boolean | null;
  /** An NTP service is installed that timedatectl can switch on. */
  canNtp: boolean;
  /** How it was read, for the message. */
  source: string;
  hasRtc: boolean;
}

/** The clock's findings: a warning while NTP has not synchronised, and on a box without a real-time clock. */
export function judgeClock(clock: ClockReading, context: FixContext): Finding[] {
  const enable = clock.canNtp
    ? adminCommand(["timedatectl", "set-ntp", "true"], context)
    : allOf(adminCommand(["apt-get", "install", "-y", "systemd-timesyncd"], context), adminCommand(["timedatectl", "set-ntp", "true"], context));
  const findings: Finding[] = [];
  if (clock.synchronised === true) findings.push(ok("clock", `is synchronised by NTP (${clock.source})`));
  else if (clock.synchronised === false) findings.push(warn("clock", `is not synchronised by NTP (${clock.source}): wall-clock times in the log and history may be wrong`, enable));
  else findings.push(warn("clock", `cannot tell whether the clock is synchronised: ${clock.source}`, enable));
  // Lifeguard measures intervals on the monotonic clock, so a jump does not fake a stale log; the times it shows may still be off.
  if (!clock.hasRtc) findings.push(warn("clock", "no RTC on this box (no /dev/rtc0): time is right only once NTP has synchronised after a boot", adminCommand(["apt-get", "install", "-y", "fake-hwclock"], context)));
  return findings;
}

/** Lifeguard's own log: where it goes, and what rotates it. */
export interface OwnLog {
  file: string | null;
  maxBytes: number | null;
  /** The logrotate snippet that names the file, if any. */
  logrotate: string | null;
}

/** Lifeguard's own log must not fill the disk: `log.max-size`, a logrotate snippet, or stdout (the journal's). */
export function judgeOwnLog(log: OwnLog, context: FixContext): Finding {
  if (log.file === null) return ok("rotation", "Lifeguard logs to standard output: the journal (or whoever reads it) keeps it bounded");
  if (log.maxBytes !== null) return ok("rotation", `${log.file} is rotated by Lifeguard beyond log.max-size (${log.maxBytes} bytes)`);
  if (log.logrotate !== null) return ok("rotation", `${log.file} is rotated by logrotate (${log.logrotate})`);
  const snippet = [`${/\s/.test(log.file) ? JSON.stringify(log.file) : log.file} {`, "  weekly", "  rotate 4", "  compress", "  missingok", "  notifempty", "  copytruncate", "}"];
  return warn("rotation", `${log.file} is never rotated: neither log.max-size is set nor does a snippet in /etc/logrotate.d name it`, writeFileCommand("/etc/logrotate.d/lifeguard", snippet, context));
}
