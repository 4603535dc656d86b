import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { packageOf, type BundleMap } from "./bundle-map.js";

/** The parts of a V8 `.cpuprofile` (as `node --cpu-prof` writes it) that the summary needs. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; positionTicks?: Array<{ line: number; ticks: number }> }>;
  startTime: number;
  endTime: number;
  samples: number[];
}

/** Self time of one place code ran: an npm package, a `src/` folder, Node's internals, or V8's own (GC, compile, idle). */
export interface ProfileShare {
  where: string;
  ms: number;
}

/**
 * Sums a profile's self time by where the code came from; code of the bundle at `bundlePath` is
 * traced back to its package or source folder line by line.
 */
export function summariseProfile(profilePath: string, bundlePath: string, bundle: BundleMap): { totalMs: number; shares: ProfileShare[] } {
  const profile = JSON.parse(readFileSync(profilePath, "utf8")) as CpuProfile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const msPerTick = totalMs / Math.max(1, profile.samples.length);
  const bundleUrl = pathToFileURL(bundlePath).href;
  const byPlace = new Map<string, number>();
  const add = (where: string, ticks: number): void => void byPlace.set(where, (byPlace.get(where) ?? 0) + ticks * msPerTick);
  for (const node of profile.nodes) {
    const { url, functionName, lineNumber } = node.callFrame;
    if (url !== bundleUrl) {
      add(placeOf(url, functionName), node.hitCount ?? 0);
      continue;
    }
    // Ticks by line where V8 gives them; else all at the function's first line (0-based there).
    const ticks = node.positionTicks ?? [{ line: lineNumber + 1, ticks: node.hitCount ?? 0 }];
    for (const tick of ticks) add(bundle.placeAt(tick.line), tick.ticks);
  }
  const shares = [...byPlace].map(([where, ms]) => ({ where, ms })).filter((s) => s.ms > 0).sort((a, b) => b.ms - a.ms);
  return { totalMs, shares };
}

/** Names for the Node internals that matter at start-up; the rest is grouped. */
const NODE_FUNCTIONS: Record<string, string> = {
  compileSourceTextModule: "V8 compiling ES modules (mostly the bundle)",
  compileForInternalLoader: "Node compiling its own internal modules",
};

function placeOf(url: string, functionName: string): string {
  if (url === "") return functionName === "(idle)" ? "(idle: waiting for a child process or I/O)" : functionName;
  if (url.includes("/node_modules/")) return packageOf(url.slice(url.lastIndexOf("/node_modules/") + "/node_modules/".length));
  if (url.startsWith("node:")) return NODE_FUNCTIONS[functionName] ?? (url.startsWith("node:internal/modules/") ? "Node module loader (other)" : "Node internals (other)");
  return url;
}
