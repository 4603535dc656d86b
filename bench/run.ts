// `npm run bench`: builds the CLI, runs every benchmark and writes bench/RESULTS.md.
// Flags: --no-sandbox (time `check` without the systemd sandbox), --clean (delete bench/data afterwards;
// by default the generated logs, 1 GiB among them, are kept and reused by the next run).
import { rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { benchCheckWallTime } from "./check-wall-time.js";
import { describeMachine, renderResults, type Section } from "./report.js";
import { benchTail } from "./tail.js";

const BENCH_DIR = import.meta.dirname;
const DATA_DIR = join(BENCH_DIR, "data");
const RESULTS = join(BENCH_DIR, "RESULTS.md");

const { values: flags } = parseArgs({ options: { "no-sandbox": { type: "boolean", default: false }, clean: { type: "boolean", default: false } } });
const started = performance.now();
const machine = describeMachine();
const progress = (text: string): void => void process.stderr.write(`bench: ${text}\n`);

const sections: Section[] = [];
try {
  progress("readTailLines at 1 KiB, 1 MiB, 100 MiB and 1 GiB (writes missing logs to bench/data first)");
  sections.push(await benchTail({ dataDir: DATA_DIR, warmup: 20, iterations: 200, coldIterations: 20, retainedCalls: 2000 }));
  progress("lifeguard check wall time");
  sections.push(await benchCheckWallTime({ dataDir: DATA_DIR, warmup: 3, runs: 30, sandbox: !flags["no-sandbox"] }));
} finally {
  if (flags.clean) rmSync(DATA_DIR, { recursive: true, force: true });
}
writeFileSync(RESULTS, renderResults(commandLine(), machine, performance.now() - started, sections));
progress(`wrote ${relative(process.cwd(), RESULTS)} in ${((performance.now() - started) / 1000).toFixed(0)} s`);

/** The command as the user typed it (Markdown): `npm run bench [-- flags]` and what npm ran, or node with this file. */
function commandLine(): string {
  const args = process.argv.slice(2);
  if (process.env.npm_lifecycle_event === "bench") return `\`npm run bench${args.length > 0 ? ` -- ${args.join(" ")}` : ""}\`, which runs \`${process.env.npm_lifecycle_script ?? "?"}\``;
  return `\`${["node", ...process.execArgv, relative(process.cwd(), process.argv[1] ?? "bench/run.ts"), ...args].join(" ")}\``;
}
