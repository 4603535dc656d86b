import { existsSync } from "node:fs";
import { runCommand } from "../run-command.js";
import { PROBE_TIMEOUT_MS } from "./run-as-user.js";

/** systemd-timesyncd touches this file once it has synchronised the clock. */
const TIMESYNC_FLAG = "/run/systemd/timesync/synchronized";
const RTC_PATHS = ["/dev/rtc0", "/sys/class/rtc/rtc0"];

/** Whether the clock is synchronised (timedatectl, else timesyncd's flag), whether NTP can be switched on, and whether the box has an RTC. */
export async function readClock(): Promise<{ synchronised: boolean | null; canNtp: boolean; source: string; hasRtc: boolean }> {
  const hasRtc = RTC_PATHS.some((path) => existsSync(path));
  const result = await runCommand(["timedatectl", "show", "-p", "NTPSynchronized", "-p", "CanNTP"], { timeoutMs: PROBE_TIMEOUT_MS });
  const value = (key: string): string | undefined => new RegExp(`^${key}=(.*)$`, "m").exec(result.stdout)?.[1];
  const synced = value("NTPSynchronized");
  if (result.ok && synced !== undefined) return { synchronised: synced === "yes", canNtp: value("CanNTP") === "yes", source: `timedatectl: NTPSynchronized=${synced}`, hasRtc };
  if (existsSync(TIMESYNC_FLAG)) return { synchronised: true, canNtp: true, source: TIMESYNC_FLAG, hasRtc };
  return { synchronised: null, canNtp: false, source: `timedatectl gave no answer (${result.cause ?? result.summary}) and ${TIMESYNC_FLAG} does not exist`, hasRtc };
}
