// Weighs each piece of the machinery that exists to save the daemon's resident memory: the
// production daemon beside variants that each lack one piece, all in one window.
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { Cleanups } from "./cleanups.js";
import { startFloor } from "./companions.js";
import { withDaemonLabs, type DaemonLab } from "./daemon-lab.js";
import { cleanupFinding, formatSeconds } from "./daemon-report.js";
import { startIdleDaemon, type IdleDaemon, type IdleOutcome, type IdleShape } from "./idle-daemon.js";
import { label } from "./idle-report.js";
import { formatBytes, verdict, type Section, type Table } from "./report.js";
import { cpuFigures, medianOf, mib, percent, sampleTogether, type Sample, type Watched } from "./sampling.js";
import { median } from "./stats.js";
import { buildDaemonVariants, type Variant } from "./variants.js";

const MIB = 1024 * 1024;
/** A piece that saves less than this is not worth its code (issue 11). */
export const PAYS_BYTES = 1 * MIB;
const SHAPE: IdleShape = { services: 1, intervalMs: 1000, scrapeEveryMs: null };

export interface WeighOptions {
  dataDir: string;
  settleMs: number;
  windowMs: number;
  sampleMs: number;
  /** Daemons per variant, all in the one window. */
  instances: number;
}

interface Weighed {
  variant: Variant;
  /** One series per instance. */
  samples: Sample[][];
  outcomes: IdleOutcome[];
}

/** Every variant's daemons and a floor per set of V8 flags, started one after the other and sampled at the same ticks. */
export async function benchWeigh(options: WeighOptions): Promise<Section> {
  mkdirSync(options.dataDir, { recursive: true });
  const dir = mkdtempSync(join(options.dataDir, "variants-"));
  try {
    const variants = await buildDaemonVariants(dir);
    const flagSets = [...new Map(variants.map((v) => [v.v8Flags.join(" "), v.v8Flags])).values()];
    const daemons = variants.flatMap((variant) => Array.from({ length: options.instances }, () => variant));
    const { weighed, floors } = await withDaemonLabs([...daemons.map((v) => `weigh-${v.id}`), ...flagSets.map(() => "floor")], async (labs) => {
      const cleanups = new Cleanups();
      try {
        const started: IdleDaemon[] = [];
        for (const [i, variant] of daemons.entries()) {
          const idle = await startIdleDaemon(labs[i] as DaemonLab, SHAPE, variant.launcher);
          cleanups.defer(idle.quiet);
          started.push(idle);
        }
        const watched: Watched[] = daemons.map((variant, i) => ({ name: `The daemon "${variant.id}"`, pid: started[i]?.daemon.pid as number }));
        for (const [i, flags] of flagSets.entries()) {
          const floor = await startFloor(labs[daemons.length + i] as DaemonLab, flags);
          cleanups.defer(floor.stop);
          watched.push({ name: `The floor program (${flags.join(" ") || "no flags"})`, pid: floor.pid });
        }
        await delay(options.settleMs);
        const samples = await sampleTogether(watched, options);
        const outcomes: IdleOutcome[] = [];
        for (const idle of started) outcomes.push(await idle.finish());
        const weighed = variants.map((variant) => {
          const mine = daemons.flatMap((v, i) => (v === variant ? [i] : []));
          return { variant, samples: mine.map((i) => samples[i] as Sample[]), outcomes: mine.map((i) => outcomes[i] as IdleOutcome) };
        });
        return { weighed, floors: flagSets.map((flags, i) => ({ flags, samples: samples[daemons.length + i] as Sample[] })) };
      } finally {
        await cleanups.run();
      }
    });
    return describe(weighed, floors, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Floor = { flags: readonly string[]; samples: Sample[] };
/** The median over instances of each instance's median. */
const across = (series: Sample[][], pick: (s: Sample[]) => number): number => median(series.map(pick));
const rss = (s: Sample[]): number => medianOf(s, (u) => u.rssBytes);

function describe(weighed: Weighed[], floors: Floor[], options: WeighOptions): Section {
  const production = weighed.find((w) => w.variant.id === "production") as Weighed;
  const floorOf = (w: Weighed): Floor => floors.find((f) => f.flags.join(" ") === w.variant.v8Flags.join(" ")) as Floor;
  const cpu = (w: Weighed): number => median(w.samples.map((s) => cpuFigures(s, options.sampleMs).whole));
  const table: Table = {
    caption: `The daemon (${label(SHAPE)}) as shipped and each variant: ${options.instances} daemon${options.instances === 1 ? "" : "s"} of each, every one in the same ${formatSeconds(options.windowMs)} window`,
    columns: ["daemon", "VmRSS: median", "instances' medians: min – max", "file-backed", "anonymous", "− as shipped", "− its floor", "CPU, % of one core"],
    rows: [
      ...weighed.map((w) => {
        const medians = w.samples.map(rss);
        return [w.variant.label, mib(across(w.samples, rss)), `${mib(Math.min(...medians))} – ${mib(Math.max(...medians))}`, mib(across(w.samples, (s) => medianOf(s, (u) => u.rssFileBytes))), mib(across(w.samples, (s) => medianOf(s, (u) => u.rssAnonBytes))), w === production ? "–" : signed(across(w.samples, rss) - across(production.samples, rss)), signed(across(w.samples, rss) - rss(floorOf(w).samples)), percent(cpu(w))];
      }),
      ...floors.map((f) => [`floor (\`bench/bots/floor.cjs\`, V8 flags: ${f.flags.join(" ") || "none"})`, mib(rss(f.samples)), "–", mib(medianOf(f.samples, (u) => u.rssFileBytes)), mib(medianOf(f.samples, (u) => u.rssAnonBytes)), "–", "–", percent(cpuFigures(f.samples, options.sampleMs).whole)]),
    ],
  };
  const findings = weighed.filter((w) => w !== production).map((w) => {
    const saved = across(w.samples, rss) - across(production.samples, rss);
    const figures = `${mib(across(w.samples, rss))} against ${mib(across(production.samples, rss))} as shipped`;
    const cpuText = `CPU ${percent(cpu(w))} against ${percent(cpu(production))}`;
    // A piece pays for itself from PAYS_BYTES: the shipped daemon should have exactly the pieces that do.
    if (w.variant.adds) return `${verdict(-saved < PAYS_BYTES)} ${w.variant.label}: ${figures}, so adding it would ${savesOrCosts(-saved)} (worth its code from ${formatBytes(PAYS_BYTES)} saved); ${cpuText}.`;
    return `${verdict(saved >= PAYS_BYTES)} ${w.variant.label}: ${figures}, so the piece it lacks ${saved >= 0 ? "saves" : "costs"} ${mib(Math.abs(saved))} (pays for itself from ${formatBytes(PAYS_BYTES)} saved); ${cpuText}.`;
  });
  findings.push(cleanupFinding(weighed.flatMap((w) => w.outcomes.map((o) => o.shutdown))));
  return {
    title: "Daemon: what each piece of the memory machinery saves",
    method: [
      `The idle daemon of the section below (${label(SHAPE)}: a sleeping bot under \`running\` and \`log-fresh\`), started ${options.instances} time${options.instances === 1 ? "" : "s"} as shipped and ${options.instances} time${options.instances === 1 ? "" : "s"} as each variant, with a floor program per set of V8 flags; every process started one after the other, then ${formatSeconds(options.settleMs)} to settle, then VmRSS, RssFile, RssAnon and CPU read from /proc at the same ticks, every ${options.sampleMs / 1000} s for ${formatSeconds(options.windowMs)}.`,
      "A variant is a launcher (and for the config and the minifying, a bundle) written by `bench/variants.ts` into a scratch directory under `bench/data/`: each is the shipped daemon but for one choice, turned the other way. A figure is the median over a variant's daemons of each daemon's median.",
    ],
    tables: [table],
    findings,
  };
}

const savesOrCosts = (saved: number): string => (saved >= 0 ? `save ${mib(saved)}` : `cost ${mib(-saved)}`);
const signed = (bytes: number): string => `${bytes >= 0 ? "+" : "−"}${mib(Math.abs(bytes))}`;
