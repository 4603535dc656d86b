import type { Shutdown } from "./daemon-lab.js";
import { formatMs, type Table } from "./report.js";
import { summarise, type Summary } from "./stats.js";

/** One phase of a latency, measured in each trial that could measure it (NaN where it could not). */
export interface Phase {
  label: string;
  how: string;
  values: number[];
}

/** Median and p95 of each phase over the trials, and how many trials measured it. */
export function phaseTable(caption: string, phases: Phase[]): Table {
  const rows = phases.map((phase) => {
    const known = phase.values.filter((value) => Number.isFinite(value));
    if (known.length === 0) return [phase.label, phase.how, "–", "–", "0"];
    const s = summarise(known);
    return [phase.label, phase.how, formatMs(s.median, 1), formatMs(s.p95, 1), String(s.n)];
  });
  return { caption, columns: ["phase", "measured as", "median", "p95", "n"], rows };
}

/** `median`, `p95`, `min – max` and `n` cells of a summary, in ms. */
export function summaryCells(s: Summary, digits = 0): string[] {
  return [formatMs(s.median, digits), formatMs(s.p95, digits), `${formatMs(s.min, digits)} – ${formatMs(s.max, digits)}`, String(s.n)];
}

/** How the daemons ended on SIGTERM and whether any process outlived them. */
export function cleanupFinding(shutdowns: Shutdown[]): string {
  const left = shutdowns.flatMap((s) => s.leftovers);
  const clean = left.length === 0 && shutdowns.every((s) => s.exitCode === 0 && !s.forced);
  return `${clean ? "Clean" : "Not clean"} shutdown: on SIGTERM the daemon${shutdowns.length > 1 ? "s" : ""} exited with ${[...new Set(shutdowns.map((s) => s.exitCode ?? s.signal))].join(", ")} in ${shutdowns.map((s) => formatMs(s.tookMs, 0)).join(", ")}${shutdowns.some((s) => s.forced) ? " (SIGKILLed after the stop timeout)" : ""}; bot processes left behind: ${left.length === 0 ? "none" : left.join(", ")} (each bot seen was checked by pid and start time).`;
}

/** Seconds with two decimals, for latencies of several seconds. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
