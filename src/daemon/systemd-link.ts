import type { DatagramError, SendDatagram } from "../process/datagram-socket.js";
import { nativeSendDatagram } from "../process/datagram-socket.js";
import { createSystemdNotifier, type SystemdNotifier } from "../process/sd-notify.js";
import { systemdNotifyCommand } from "../process/systemd-notify-command.js";

/** What the link has to say in the watchdog log. */
export type SystemdLinkLog = (tag: "WARN" | "INFO", message: string) => void;

/** The fix for a box where the native addon could not be built, as printed to its user. */
export const NATIVE_FIX = "sudo apt-get install build-essential python3, then `npm rebuild -g lifeguard` (or `npm run build:native` in a checkout)";

/**
 * The daemon's link to systemd (null when systemd expects no notifications): notifications through
 * the native addon, or, when it is not built, through `systemd-notify`, said once in the log,
 * never silently without its watchdog pings. A failing notification is logged when failures start
 * (and when the cause changes), and once more when they end: a ping every 15 s that fails would
 * otherwise fill the log, or, unlogged, leave nobody knowing why systemd restarts Lifeguard.
 */
export function linkSystemd(env: NodeJS.ProcessEnv, log: SystemdLinkLog): SystemdNotifier | null {
  if (env.NOTIFY_SOCKET === undefined || env.NOTIFY_SOCKET === "") return null;
  let failing: string | null = null;
  const settled = (error: DatagramError | null): void => {
    if (error === null) {
      if (failing !== null) log("INFO", "systemd is notified again");
      failing = null;
    } else if (error.reason !== failing) {
      failing = error.reason;
      log("WARN", `Cannot notify systemd (${error.reason}): without its watchdog pings, systemd restarts Lifeguard once WatchdogSec= passes`);
    }
  };
  const native = nativeSendDatagram();
  let send: SendDatagram;
  if ("send" in native) {
    const { send: sendNative } = native;
    send = (address, bytes) => {
      const error = sendNative(address, bytes);
      settled(error);
      return error;
    };
  } else {
    log("WARN", `The native helper is not usable (${native.reason}): systemd is notified through systemd-notify, which needs NotifyAccess=all in Lifeguard's unit unless Lifeguard runs as root; to fix: ${NATIVE_FIX}`);
    send = systemdNotifyCommand(settled);
  }
  return createSystemdNotifier(env, { send });
}
