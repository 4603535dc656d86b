import { spawn } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { runCommand, type CommandResult } from "../../src/process/run-command.js";
import { waitFor } from "../../src/testing/wait-for.js";
import { BIN } from "./lab.js";

type TestContext = { after(fn: () => void | Promise<void>): void };

/** `lifeguard logs ... -f` running as a user runs it, its output read as it comes. */
export interface Follower {
  pid: number;
  /** stdout's lines so far. */
  lines: string[];
  stderr(): string;
  /** Whether `count` lines arrived within a bounded wait. */
  hasLines(count: number): Promise<boolean>;
  /** Resolves with the exit code and signal once it exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A directory (readable by every user) with a `lifeguard.yaml` of `services` and `extra` top-level keys. */
export function logsWorkspace(t: TestContext, services: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-logs-"));
  chmodSync(dir, 0o755);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, "lifeguard.yaml");
  writeFileSync(config, stringify({ state: join(dir, "state"), ...extra, services }), { mode: 0o644 });
  const run = (args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> =>
    runCommand([process.execPath, BIN, "logs", ...args, "-c", config], { timeoutMs: 30_000, cwd: dir, env });
  const follow = (args: string[]): Follower => startFollower(t, [process.execPath, BIN, "logs", ...args, "-f", "-c", config], dir);
  return { dir, config, run, follow, path: (name: string) => join(dir, name) };
}

function startFollower(t: TestContext, argv: string[], cwd: string): Follower {
  const [file, ...args] = argv as [string, ...string[]];
  const child = spawn(file, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  // Whatever the test did, the follower it started does not outlive it.
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const lines: string[] = [];
  let partial = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    const parts = (partial + text).split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts);
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => void (stderr += text));
  const exited = once(child, "exit").then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return {
    pid: child.pid as number,
    lines,
    stderr: () => stderr,
    hasLines: (count) => waitFor(() => lines.length >= count, { timeoutMs: 15_000 }),
    exited,
  };
}
