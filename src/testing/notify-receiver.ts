import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { PYTHON } from "./bots.js";

/** The receiving end of a datagram socket (Python: Node cannot bind one); see bots/notify-receiver.py. */
export const NOTIFY_RECEIVER = fileURLToPath(new URL("./bots/notify-receiver.py", import.meta.url));
const START_TIMEOUT_MS = 10_000;

/** One datagram as the receiver saw it; `pid` is the sender's, from the kernel's SCM_CREDENTIALS. */
export interface ReceivedDatagram {
  text: string;
  pid: number | null;
  bytes: number;
}

export interface NotifyReceiver {
  /** The next datagram received; rejects after `timeoutMs` (default 5s) without one. */
  next(timeoutMs?: number): Promise<ReceivedDatagram>;
  /** Ends the receiver (by its pid). Idempotent. */
  stop(): Promise<void>;
}

/**
 * Binds a datagram socket at `address` ("/path" or "@abstract") and resolves once it listens.
 * `hold` never reads, so the socket's queue fills as that of a hung systemd would.
 */
export async function startNotifyReceiver(address: string, options: { hold?: boolean } = {}): Promise<NotifyReceiver> {
  const child = spawn(PYTHON, [NOTIFY_RECEIVER, address, ...(options.hold ? ["--hold"] : [])], { stdio: ["ignore", "pipe", "pipe"] });
  const exited = once(child, "close").then(() => undefined);
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => void (stderr += chunk));
  const received: ReceivedDatagram[] = [];
  const waiting: Array<(datagram: ReceivedDatagram) => void> = [];
  let listening: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (listening = resolve));
  createInterface({ input: child.stdout }).on("line", (line) => {
    const parsed = JSON.parse(line) as ReceivedDatagram | { listening: true };
    if ("listening" in parsed) return listening();
    const waiter = waiting.shift();
    if (waiter === undefined) received.push(parsed);
    else waiter(parsed);
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    await exited;
  };

  const failed = exited.then(() => Promise.reject(new Error(`The notify receiver exited: ${stderr.trim()}`)));
  failed.catch(() => undefined);
  try {
    await within(Promise.race([started, failed]), START_TIMEOUT_MS, "The notify receiver did not start");
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    next(timeoutMs = 5000) {
      const ready = received.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      return new Promise<ReceivedDatagram>((resolve, reject) => {
        const deliver = (datagram: ReceivedDatagram): void => {
          clearTimeout(timer);
          resolve(datagram);
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(deliver), 1); // a datagram after the timeout waits for the next call
          reject(new Error(`No datagram within ${timeoutMs}ms`));
        }, timeoutMs);
        waiting.push(deliver);
      });
    },
    stop,
  };
}

function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
