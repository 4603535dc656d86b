import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { waitFor } from "./wait-for.js";

/** Debian's package `prometheus-alertmanager` (DESIGN.md: tests use the real one; CI installs it). */
export const ALERTMANAGER_BINARY = "/usr/bin/prometheus-alertmanager";
const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;
const START_ATTEMPTS = 3;

/** Every alert goes to a receiver that notifies nobody: the tests read alerts back through the API. */
const CONFIG = `route:
  receiver: "null"
receivers:
  - name: "null"
`;

/** One alert as `GET /api/v2/alerts` returns it. */
export interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: "active" | "suppressed" | "unprocessed"; silencedBy: string[]; inhibitedBy: string[] };
}

export interface AlertmanagerLab {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  pid: number;
  /** `GET /api/v2/alerts` with `query` (`?active=false`); Alertmanager lists no resolved alert, whatever the filter. */
  alerts(query?: string): Promise<GettableAlert[]>;
  /** SIGTERM, then SIGKILL after a grace, by its pid; removes its data. Idempotent. */
  stop(): Promise<void>;
}

/** Why the real-Alertmanager tests cannot run here, or undefined when they can. */
export function alertmanagerSkipReason(): string | undefined {
  return existsSync(ALERTMANAGER_BINARY) ? undefined : `${ALERTMANAGER_BINARY} is missing (install the Debian package prometheus-alertmanager)`;
}

/**
 * Starts a real Alertmanager on 127.0.0.1 with clustering off and its data in a temp dir, and
 * resolves once `/-/ready` answers. A port taken between choosing and binding is retried.
 */
export async function startAlertmanagerLab(): Promise<AlertmanagerLab> {
  const dir = await mkdtemp(join(tmpdir(), "lifeguard-am-"));
  await writeFile(join(dir, "alertmanager.yml"), CONFIG);
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(dir, await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function startOnce(dir: string, port: number): Promise<AlertmanagerLab> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(ALERTMANAGER_BINARY, [
    `--config.file=${join(dir, "alertmanager.yml")}`,
    `--storage.path=${join(dir, `data-${port}`)}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--cluster.listen-address=",
  ], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => void (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const stop = async (): Promise<void> => stopChild(child, exited, () => gone).then(() => rm(dir, { recursive: true, force: true }));
  const ready = await waitFor(async () => gone || (await isReady(url)), { timeoutMs: READY_TIMEOUT_MS, intervalMs: 50 });
  if (!ready || gone) {
    await stopChild(child, exited, () => gone);
    throw new Error(`Alertmanager did not become ready on ${url}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`);
  }
  return {
    url,
    pid: child.pid as number,
    alerts: async (query = "") => (await (await fetch(`${url}/api/v2/alerts${query}`)).json()) as GettableAlert[],
    stop,
  };
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** By the child's own pid only: SIGTERM, then SIGKILL when it has not exited within the grace. */
async function stopChild(child: ChildProcess, exited: Promise<void>, gone: () => boolean): Promise<void> {
  if (gone() || child.pid === undefined) return;
  process.kill(child.pid, "SIGTERM");
  const bound = new AbortController();
  await Promise.race([exited, delay(STOP_GRACE_MS, undefined, { signal: bound.signal }).catch(() => undefined)]);
  bound.abort();
  if (!gone()) {
    process.kill(child.pid, "SIGKILL");
    await exited;
  }
}

/** A port free a moment ago: bound to port 0 and closed. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
