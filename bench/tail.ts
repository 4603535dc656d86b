import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { readTailLines, TAIL_CHUNK_BYTES, TAIL_MAX_LINE_BYTES, type TailResult } from "../src/checks/tail-lines.js";
import { botLine, ensureLogFile } from "./log-files.js";
import { perCall, readIoCounters, type IoCounters } from "./proc-io.js";
import { formatBytes, formatMs, verdict, type Section } from "./report.js";
import { summarise, type Summary } from "./stats.js";

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;
const TAIL_SIZES = [KIB, MIB, 100 * MIB, GIB];
const LINES = 100;
const GOAL_MS = 5;
/** "Flat": the median at 1 GiB is within this factor of the median at 1 MiB. */
const FLAT_FACTOR = 1.5;
/** Heap left per call (after a full GC) below which nothing is kept: a kept result (100 lines) would be about 10 KiB; GC noise is tens of bytes. */
const RETAINED_LIMIT_BYTES = 1024;
/** Calls whose heap allocation is sampled one by one (each after a full GC). */
const ALLOCATION_SAMPLES = 50;

export interface TailBenchOptions {
  dataDir: string;
  warmup: number;
  iterations: number;
  coldIterations: number;
  /** Calls between two full GCs to see what stays on the heap (many, so that GC timing noise averages out). */
  retainedCalls: number;
}

interface SizeFigures {
  size: number;
  writtenMs: number | null;
  warm: Summary;
  warmIo: IoCounters | null;
  cold: { times: Summary; io: IoCounters | null } | null;
  bytesScanned: number;
  heapAllocated: number;
  buffersAllocated: number;
  heapRetainedPerCall: number;
  rssGrowth: number;
}

/** Reads the last 100 lines of bot logs from 1 KiB to 1 GiB: time, memory and bytes read per call. */
export async function benchTail(options: TailBenchOptions): Promise<Section> {
  const gc = exposeGc();
  const files = TAIL_SIZES.map((size) => {
    const path = join(options.dataDir, `bot-${formatBytes(size).replace(" ", "")}.log`);
    return { size, path, writtenMs: ensureLogFile(path, size) };
  });
  const coldSupport = canDropFromCache(files[0]?.path as string);
  const reads = files.map((file) => () => readChecked(file.path, file.size));
  const warm = await timeRoundRobin(reads, options);
  const figures: SizeFigures[] = [];
  for (const [index, file] of files.entries()) {
    const read = reads[index] as () => Promise<TailResult>;
    const { bytesScanned } = await read();
    const memory = await measureMemory(read, options.retainedCalls, gc);
    const cold = coldSupport ? await timeCold(file.path, read, options.coldIterations) : null;
    figures.push({ size: file.size, writtenMs: file.writtenMs, warm: summarise(warm[index] as number[]), cold, bytesScanned, ...memory });
  }
  return describe(figures, options, coldSupport);
}

async function readChecked(path: string, size: number): Promise<TailResult> {
  const result = await readTailLines(path, LINES);
  const whole = result.bytesScanned === size;
  if ((result.lines.length !== LINES && !whole) || !/ INFO VIX /.test(result.lines[0] ?? "")) {
    throw new Error(`readTailLines("${path}") gave ${result.lines.length} lines, the oldest "${result.lines[0]}"`);
  }
  return result;
}

/** One call per size in turn, so that a busy moment of the machine slows every size alike. */
async function timeRoundRobin(reads: Array<() => Promise<TailResult>>, options: TailBenchOptions): Promise<number[][]> {
  const times = reads.map((): number[] => []);
  for (let round = 0; round < options.warmup + options.iterations; round += 1) {
    for (const [index, read] of reads.entries()) {
      const started = performance.now();
      await read();
      if (round >= options.warmup) times[index]?.push(performance.now() - started);
    }
  }
  return times;
}

/** Heap and buffer bytes one call allocates (median of single calls after a full GC); what a series leaves behind and reads. */
async function measureMemory(read: () => Promise<TailResult>, calls: number, gc: () => void) {
  const heap: number[] = [];
  const buffers: number[] = [];
  for (let i = 0; i < ALLOCATION_SAMPLES; i += 1) {
    gc();
    const before = process.memoryUsage();
    await read();
    const after = process.memoryUsage();
    heap.push(after.heapUsed - before.heapUsed);
    buffers.push(after.arrayBuffers - before.arrayBuffers);
  }
  gc();
  const before = process.memoryUsage();
  const ioBefore = readIoCounters();
  for (let i = 0; i < calls; i += 1) await read();
  const warmIo = perCall(ioBefore, readIoCounters(), calls);
  gc();
  const after = process.memoryUsage();
  return {
    warmIo,
    heapAllocated: summarise(heap).median,
    buffersAllocated: summarise(buffers).median,
    heapRetainedPerCall: (after.heapUsed - before.heapUsed) / calls,
    rssGrowth: after.rss - before.rss,
  };
}

/** Each call after the file's pages were dropped from the page cache (`dd iflag=nocache count=0`: posix_fadvise DONTNEED on this one file). */
async function timeCold(path: string, read: () => Promise<TailResult>, calls: number) {
  const times: number[] = [];
  const io = { readBytes: 0, rchar: 0 };
  for (let i = 0; i < calls; i += 1) {
    dropFromCache(path);
    const before = readIoCounters();
    const started = performance.now();
    await read();
    times.push(performance.now() - started);
    const used = perCall(before, readIoCounters(), 1);
    io.readBytes += (used?.readBytes ?? 0) / calls;
    io.rchar += (used?.rchar ?? 0) / calls;
  }
  return { times: summarise(times), io };
}

function dropFromCache(path: string): boolean {
  return spawnSync("dd", [`if=${path}`, "iflag=nocache", "count=0", "status=none"], { stdio: "ignore" }).status === 0;
}

/** Cold figures need dd's nocache flag and /proc/self/io to show that the disk was read. */
function canDropFromCache(path: string): boolean {
  return readIoCounters() !== null && dropFromCache(path);
}

/** The `gc()` that `--expose-gc` would give, without changing how the bench is started. */
export function exposeGc(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

function describe(figures: SizeFigures[], options: TailBenchOptions, coldSupport: boolean): Section {
  const bytes = (n: number | undefined): string => (n === undefined ? "n/a" : formatBytes(Math.round(n)));
  const rows = figures.map((f) => [formatBytes(f.size), formatMs(f.warm.median, 3), formatMs(f.warm.p95, 3), formatMs(f.warm.max, 3), `< ${GOAL_MS} ms`, verdict(f.warm.p95 < GOAL_MS)]);
  const memoryRows = figures.map((f) => [
    formatBytes(f.size), formatBytes(f.bytesScanned), bytes(f.warmIo?.rchar), bytes(f.warmIo?.readBytes), bytes(f.heapAllocated), bytes(f.buffersAllocated), `${f.heapRetainedPerCall.toFixed(1)} B`, bytes(f.rssGrowth),
  ]);
  const coldRows = figures.flatMap((f) => (f.cold === null ? [] : [[formatBytes(f.size), formatMs(f.cold.times.median, 3), formatMs(f.cold.times.p95, 3), bytes(f.cold.io?.readBytes), `< ${GOAL_MS} ms`, verdict(f.cold.times.p95 < GOAL_MS)]]));
  const tables = [
    { caption: `Time per call, page cache warm (${options.iterations} calls per size after ${options.warmup} warm-up calls)`, columns: ["log size", "median", "p95", "max", "goal", ""], rows },
    {
      caption: `Memory and I/O per call (page cache warm)`,
      columns: ["log size", "bytes scanned (reader)", "rchar / call", "read_bytes / call", "heap allocated / call", "buffers allocated / call", "heap retained / call", `RSS growth over ${options.retainedCalls} calls`],
      rows: memoryRows,
    },
  ];
  if (coldRows.length > 0) tables.push({ caption: `Time per call, page cache cold (${options.coldIterations} calls, the file dropped from the cache before each)`, columns: ["log size", "median", "p95", "disk read_bytes / call", "goal", ""], rows: coldRows });
  return {
    title: `readTailLines: last ${LINES} lines of a log`,
    method: [
      `\`readTailLines(path, ${LINES})\` from \`src/checks/tail-lines.ts\`, called in-process and awaited one call at a time, the four sizes in turn (round-robin, so that a busy moment of the machine hits them alike); the time is \`performance.now()\` around one call.`,
      `Logs of exactly 1 KiB to 1 GiB of bot lines of about 80 bytes (\`${botLine(0, "2024-11-30 21:00:00").trimEnd()}\`), real blocks on disk (not sparse), kept in \`${options.dataDir}\` and reused when the size matches. ${describeWrites(figures)}`,
      `Warm: the file's tail is in the page cache (the warm-up calls read it). Memory: heap and buffer bytes allocated by one call (median of ${ALLOCATION_SAMPLES} single calls, each after a full GC), heap left after ${options.retainedCalls} calls and a full GC, and RSS growth over those calls. I/O: \`/proc/self/io\` deltas over those calls; \`rchar\` is what read calls returned, \`read_bytes\` what came from the block device.`,
      coldSupport
        ? "Cold: before each call the file's pages are dropped with `dd if=FILE iflag=nocache count=0` (posix_fadvise DONTNEED on that one file, nothing else is evicted); `read_bytes` shows the disk was read. This machine is a VM: the host may still cache the virtual disk."
        : "Cold: not measured here (`dd iflag=nocache` or `/proc/self/io` is unavailable); the figures are page cache warm only.",
    ],
    tables,
    findings: findings(figures, options),
  };
}

function describeWrites(figures: SizeFigures[]): string {
  const written = figures.filter((f) => f.writtenMs !== null);
  if (written.length === 0) return "All files were reused from an earlier run.";
  return `Written this run: ${written.map((f) => `${formatBytes(f.size)} in ${((f.writtenMs as number) / 1000).toFixed(1)} s`).join(", ")}.`;
}

function findings(figures: SizeFigures[], options: TailBenchOptions): string[] {
  const mib = figures.find((f) => f.size === MIB);
  const gib = figures.find((f) => f.size === GIB);
  const out: string[] = [];
  const slowest = Math.max(...figures.map((f) => f.warm.p95));
  out.push(`${verdict(slowest < GOAL_MS)} Goal "under ${GOAL_MS} ms": the slowest p95 (warm) is ${formatMs(slowest, 3)}.`);
  if (mib !== undefined && gib !== undefined) {
    const factor = gib.warm.median / mib.warm.median;
    const sameBytes = gib.bytesScanned === mib.bytesScanned;
    out.push(`${verdict(factor <= FLAT_FACTOR && sameBytes)} Goal "flat from 1 MiB to 1 GiB": median at 1 GiB is ${factor.toFixed(2)}× the median at 1 MiB (flat: ≤ ${FLAT_FACTOR}×), and the reader scanned ${formatBytes(gib.bytesScanned)} at 1 GiB against ${formatBytes(mib.bytesScanned)} at 1 MiB.`);
  }
  const retained = Math.max(...figures.map((f) => Math.abs(f.heapRetainedPerCall)));
  const buffers = new Set(figures.map((f) => f.buffersAllocated));
  out.push(`${verdict(retained < RETAINED_LIMIT_BYTES)} Memory: at most ${retained.toFixed(1)} B of heap per call is left after ${options.retainedCalls} calls and a full GC (nothing kept: under ${formatBytes(RETAINED_LIMIT_BYTES)}, where a kept result would be about 10 KiB); each call allocates ${[...buffers].map((b) => formatBytes(b)).join(" / ")} of new buffers whatever the log's size: its chunk and line buffers (${formatBytes(TAIL_CHUNK_BYTES + TAIL_MAX_LINE_BYTES)}) are lent by a pool shared by all reads and given back (\`src/checks/tail-scratch.ts\`).`);
  return out;
}
