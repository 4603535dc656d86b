import type { DatagramError, SendDatagram } from "./datagram-socket.js";
import { runCommand } from "./run-command.js";

/** systemd-notify waits until systemd has read the message (5 s at most by default), then exits. */
const HELPER_TIMEOUT_MS = 10_000;

/**
 * A sender that has systemd's own `systemd-notify` send each notification, for a Lifeguard whose
 * native addon is not built (no compiler on the box). The datagram then comes from the helper's
 * process, not Lifeguard's: as root, systemd-notify presents it as its parent's (Lifeguard), which
 * `NotifyAccess=main` accepts; as any other user it cannot, and the unit needs `NotifyAccess=all`
 * (any process of the unit may then ping: the trade-off docs/deployment.md states). It waits until
 * systemd has processed the message, so the message is not lost when the helper exits at once.
 *
 * Sends are queued and not awaited (the notifier's contract is synchronous), one helper at a
 * time in the order sent; each one's result (null: sent) reaches `settled` when its helper has
 * exited. A ping already waiting in the queue is not queued twice.
 */
export function systemdNotifyCommand(settled: (error: DatagramError | null) => void, command = "systemd-notify"): SendDatagram {
  // One helper at a time, in the order sent: RELOADING=1 must reach systemd before the READY=1 that ends it.
  let queue: Promise<void> = Promise.resolve();
  let pingWaiting = false;
  return (address, bytes) => {
    const lines = Buffer.from(bytes).toString("utf8").split("\n").filter((line) => line !== "");
    const ping = lines.length === 1 && lines[0] === "WATCHDOG=1";
    if (ping && pingWaiting) return null;
    pingWaiting ||= ping;
    queue = queue.then(async () => {
      if (ping) pingWaiting = false;
      const result = await runCommand([command, ...lines], { timeoutMs: HELPER_TIMEOUT_MS, env: { ...process.env, NOTIFY_SOCKET: address } });
      if (result.ok) return settled(null);
      const said = result.stderr.trim().split("\n").at(-1) ?? "";
      settled({ code: result.errorCode ?? "EHELPER", reason: `${command} ${result.errorCode === "ENOENT" ? "is not installed" : `failed: ${said === "" ? result.summary : said}`}` });
    });
    return null;
  };
}
