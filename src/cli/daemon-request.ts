import type { NewRequest, QueuedRequest, RequestQueue } from "../core/requests.js";
import { EXIT, LifeguardError } from "../core/errors.js";
import type { WatchLedger, WatchRecord } from "../core/watch.js";
import { isRecordedProcessAlive } from "../process/proc-stat.js";

/** The daemon takes requests every second (src/daemon/take-requests.ts): one that leaves it waiting this long is stuck. */
const TAKE_TIMEOUT_MS = 10_000;
const POLL_MS = 100;

/** The running daemon that watches `service` (any of the configuration's for a reload), or null when none does. */
export function watchingDaemon(ledger: WatchLedger, services: readonly string[]): WatchRecord | null {
  return ledger.watchers().find((record) => services.includes(record.service) && record.mode === "daemon" && record.stoppedAt === null && isRecordedProcessAlive(record)) ?? null;
}

/**
 * Queues `request` for the daemon, waits for it to be taken (withdrawn, and an error, when it is
 * not within TAKE_TIMEOUT_MS) and carried out (within `doneWithinMs`), and returns its answer.
 */
export async function askDaemon(queue: RequestQueue, request: NewRequest, doneWithinMs: number): Promise<{ ok: boolean; summary: string }> {
  const id = queue.enqueueRequest(request);
  const asked = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const seen = queue.readRequest(id);
    if (seen === null) throw new LifeguardError(`Cannot follow the request to Lifeguard (PID ${request.daemonPid}) as it was removed from the store`);
    if (isAnswered(seen)) {
      queue.forgetRequest(id);
      return { ok: seen.status === "done", summary: seen.summary ?? "" };
    }
    const waited = Date.now() - asked;
    if (seen.status === "pending" && waited > TAKE_TIMEOUT_MS && queue.cancelRequest(id)) {
      throw new LifeguardError(`Cannot ${request.action}${request.service === null ? "" : ` "${request.service}"`} as Lifeguard (PID ${request.daemonPid}) did not take the request within ${TAKE_TIMEOUT_MS / 1000}s: nothing was done`, {
        exitCode: EXIT.failed, hint: "`lifeguard status` says whether it still makes its rounds.",
      });
    }
    if (waited > TAKE_TIMEOUT_MS + doneWithinMs) {
      throw new LifeguardError(`Cannot tell how "${request.action}" ended: Lifeguard (PID ${request.daemonPid}) took it but has not answered after ${Math.round(waited / 1000)}s`, {
        exitCode: EXIT.failed, hint: "`lifeguard history` shows what it did.",
      });
    }
  }
}

function isAnswered(request: QueuedRequest): boolean {
  return request.status === "done" || request.status === "failed";
}
