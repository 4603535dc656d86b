// Memory per service over a long window (issue 14): the 200-service daemon beside the 1-service
// daemon, and beside a 200-service daemon with V8's default heap sizing, all in one window.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { Cleanups } from "./cleanups.js";
import { withDaemonLabs, type DaemonLab } from "./daemon-lab.js";
import { startIdleDaemon, type IdleDaemon, type IdleRun, type IdleShape } from "./idle-daemon.js";
import { describeMemoryWindow, type MemoryDaemon, type MemoryWindowOptions, type MemoryWindowRun } from "./memory-window-report.js";
import type { Section } from "./report.js";
import { sampleTogether, type Sample } from "./sampling.js";
import { writeDefaultHeapLauncher } from "./variants.js";

export type { MemoryWindowOptions } from "./memory-window-report.js";

const ONE: IdleShape = { services: 1, intervalMs: 1000, scrapeEveryMs: null };
const MANY: IdleShape = { services: 200, intervalMs: 5000, scrapeEveryMs: null };

/** The daemons of the window, started one after the other and sampled at the same ticks for `windowMs`. */
export async function benchMemoryWindow(options: MemoryWindowOptions & { dataDir: string }): Promise<Section> {
  mkdirSync(options.dataDir, { recursive: true });
  const dir = mkdtempSync(join(options.dataDir, "memory-window-"));
  try {
    const defaultHeap = writeDefaultHeapLauncher(dir);
    const daemons: MemoryDaemon[] = [
      { shape: ONE, label: "as shipped", launcher: undefined },
      { shape: MANY, label: "as shipped", launcher: undefined },
      { shape: MANY, label: `V8's default heap sizing (launcher flags: ${defaultHeap.v8Flags.map((flag) => `\`${flag}\``).join(", ") || "none"})`, launcher: defaultHeap.launcher },
    ];
    const runs = await withDaemonLabs(daemons.map(() => "memory"), (labs) => measure(labs, daemons, options));
    return describeMemoryWindow(runs, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(labs: DaemonLab[], daemons: MemoryDaemon[], options: MemoryWindowOptions): Promise<MemoryWindowRun[]> {
  const cleanups = new Cleanups();
  try {
    const started: IdleDaemon[] = [];
    for (const [i, daemon] of daemons.entries()) {
      const idle = await startIdleDaemon(labs[i] as DaemonLab, daemon.shape, daemon.launcher);
      cleanups.defer(idle.quiet);
      started.push(idle);
    }
    await delay(options.settleMs);
    const watched = started.map((idle, i) => ({ name: `The daemon with ${daemons[i]?.shape.services} services`, pid: idle.daemon.pid }));
    const samples = await sampleTogether(watched, options);
    const runs: MemoryWindowRun[] = [];
    for (const [i, idle] of started.entries()) {
      const run: IdleRun = { scenario: (daemons[i] as MemoryDaemon).shape, samples: samples[i] as Sample[], ...(await idle.finish()) };
      runs.push({ daemon: daemons[i] as MemoryDaemon, run });
    }
    return runs;
  } finally {
    await cleanups.run();
  }
}
