// Processes sampled beside the daemons in the same window: bare Node, the floor program, PM2.
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../src/testing/wait-for.js";
import type { DaemonLab } from "./daemon-lab.js";

/** A Node process that does nothing but keep its event loop alive. */
export const BARE_NODE = "setInterval(() => {}, 1000)";
/** The daemon's I/O for 1 service without Lifeguard: HTTP server, a child, SQLite, the log stat()ed and watched. */
const FLOOR_PROGRAM = join(import.meta.dirname, "bots", "floor.cjs");

/** A process the bench started to sample, and how to end it (by its PID). */
export interface Companion {
  pid: number;
  stop(): Promise<void>;
}

/** `node -e BARE_NODE`. */
export function startBareNode(): Companion {
  const child = spawn(process.execPath, ["-e", BARE_NODE], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    child.kill("SIGKILL");
    await exited;
  };
  return { pid: child.pid as number, stop };
}

/** The floor program (bench/bots/floor.cjs) with `v8Flags`, in `lab`, which ends its sleeping child by PID whatever happens. */
export async function startFloor(lab: DaemonLab, v8Flags: readonly string[]): Promise<Companion> {
  const log = join(lab.dir, "svc.log");
  appendFileSync(log, `${new Date().toISOString()} INFO still here\n`);
  const child = spawn(process.execPath, [FLOOR_PROGRAM, lab.dir, log, ...v8Flags], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    child.kill("SIGTERM");
    await exited;
  };
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => void (output += chunk));
  if (!(await waitFor(() => output.includes("\n"), { timeoutMs: 30_000 }))) {
    await stop();
    throw new Error("The floor program did not print its child's pid");
  }
  lab.remember(Number(output.trim()));
  return { pid: child.pid as number, stop };
}
