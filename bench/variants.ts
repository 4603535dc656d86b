// Variants of the launcher and of the daemon's bundle, each without one piece of the machinery
// that saves resident memory or start-up time, so the bench can weigh that piece. They are
// written into a scratch directory inside the checkout (bench/data/): bundles there find
// node_modules and the native addon as dist/ does.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build, type BuildOptions, type Plugin } from "esbuild";
import { COMMON, ENTRY_POINTS, MINIFIED, MINIFY } from "../scripts/bundle-options.js";
import { BIN, REPO } from "../test/support/lab.js";

const DIST = join(REPO, "dist");

/** One way to start the daemon, named for the piece it lacks. */
export interface Variant {
  id: "production" | "config-here" | "cli-bundle" | "v8-flags" | "minify";
  /** What this variant does differently, as a table row reads it. */
  label: string;
  launcher: string;
  /** The V8 flags it sets: the floor it is compared with sets the same. */
  v8Flags: readonly string[];
  /** The variant adds a piece the shipped daemon does without, rather than lacking one. */
  adds?: true;
}

/** The V8 flags bin/lifeguard.js sets for `run`, read from its text so that the variants and the floor follow it. */
export function launcherV8Flags(): string[] {
  return [...readFileSync(BIN, "utf8").matchAll(/setFlagsFromString\("([^"]+)"\)/g)].map((m) => m[1] as string);
}

/**
 * A CommonJS launcher like bin/lifeguard.js's branch for `run`: sets `v8Flags`, requires `bundle`
 * as is (no code cache) and runs its `main` with the command line.
 */
export function writeLauncher(file: string, bundle: string, v8Flags: readonly string[], about: string): string {
  const lines = [
    `// ${about} (written by bench/variants.ts).`,
    '"use strict";',
    ...v8Flags.map((flag) => `require("node:v8").setFlagsFromString(${JSON.stringify(flag)});`),
    `void require(${JSON.stringify(bundle)}).main(process.argv.slice(2)).then((code) => { process.exitCode = code; });`,
  ];
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/** The V8 flags of the launcher that size the heap (its young generation and its growth), as opposed to the compiler's. */
export const HEAP_FLAG = /^--(semi-space-growth-factor|optimize-for-size)\b/;

/** The daemon as bin/lifeguard.js starts it but for the heap flags (HEAP_FLAG): V8's default heap sizing. Written into `dir`. */
export function writeDefaultHeapLauncher(dir: string): { launcher: string; v8Flags: string[] } {
  const v8Flags = launcherV8Flags().filter((flag) => !HEAP_FLAG.test(flag));
  return { launcher: writeLauncher(join(dir, "launch-default-heap.cjs"), join(DIST, "lifeguard-run.cjs"), v8Flags, "The daemon's bundle with V8's default heap sizing"), v8Flags };
}

/** The launcher that runs `check` from the CLI bundle without a code cache, in `dir`. */
export function writeNoCacheLauncher(dir: string): string {
  return writeLauncher(join(dir, "no-code-cache.cjs"), join(DIST, "lifeguard-cli.cjs"), [], "The CLI bundle without bin/lifeguard.js's V8 code cache");
}

/**
 * The daemon's bundle as scripts/bundle.js builds it, but for `changes`, as `dir/NAME.cjs`
 * (directly in `dir`: the native addon is searched a few levels up only); returns its path.
 */
async function buildRunBundle(dir: string, name: string, changes: BuildOptions): Promise<string> {
  await build({ ...COMMON, entryPoints: { [name]: ENTRY_POINTS["lifeguard-run"] }, absWorkingDir: REPO, outdir: dir, sourcemap: false, logLevel: "error", ...changes });
  return join(dir, `${name}.cjs`);
}

/** Resolves the daemon's config loader to bench/load-config-here.ts: the config loaded in the daemon's process. */
const CONFIG_HERE: Plugin = {
  name: "config-here",
  setup: (esbuild) => void esbuild.onResolve({ filter: /\/load-config-apart\.js$/ }, () => ({ path: join(import.meta.dirname, "load-config-here.ts") })),
};

/** The production daemon and one variant per piece weighed, built into `dir`. */
export async function buildDaemonVariants(dir: string): Promise<Variant[]> {
  const flags = launcherV8Flags();
  // Each variant is the other side of one choice: without --no-opt if the launcher sets it, with it if not; likewise minifying.
  const flipped = flags.includes("--no-opt") ? flags.filter((flag) => flag !== "--no-opt") : [...flags, "--no-opt"];
  const addsNoOpt = !flags.includes("--no-opt");
  const minified = MINIFIED.includes("lifeguard-run");
  const shipped = minified ? MINIFY : {};
  const configHere = await buildRunBundle(dir, "config-here", { plugins: [CONFIG_HERE], ...shipped });
  const otherMinify = await buildRunBundle(dir, "minify", { minifyWhitespace: !minified, minifySyntax: !minified });
  // Beside it, the config process it starts (load-config-apart.ts looks in its bundle's directory).
  copyFileSync(join(DIST, "lifeguard-config.cjs"), join(dir, "lifeguard-config.cjs"));
  const runBundle = join(DIST, "lifeguard-run.cjs");
  const launcher = (id: Variant["id"], bundle: string, v8Flags: readonly string[], about: string): string => writeLauncher(join(dir, `launch-${id}.cjs`), bundle, v8Flags, about);
  return [
    { id: "production", label: "as shipped (`bin/lifeguard.js`)", launcher: BIN, v8Flags: flags },
    { id: "config-here", label: "config loaded in the daemon's process (no config process)", launcher: launcher("config-here", configHere, flags, "The daemon's bundle with its config loaded in its own process"), v8Flags: flags },
    { id: "cli-bundle", label: "daemon run from the CLI bundle (no bundle of its own)", launcher: launcher("cli-bundle", join(DIST, "lifeguard-cli.cjs"), flags, "`run` from the CLI bundle, which holds every command"), v8Flags: flags },
    {
      id: "v8-flags",
      label: addsNoOpt ? "with `--no-opt` (the optimising compiler off)" : "without `--no-opt` (V8's default: the optimising compiler on)",
      launcher: launcher("v8-flags", runBundle, flipped, `The daemon's bundle with the V8 flags ${JSON.stringify(flipped)}`),
      v8Flags: flipped,
      ...(addsNoOpt ? { adds: true as const } : {}),
    },
    {
      id: "minify",
      label: minified ? "its bundle not minified" : "its bundle minified (whitespace and syntax)",
      launcher: launcher("minify", otherMinify, flags, `The daemon's bundle ${minified ? "not " : ""}minified`),
      v8Flags: flags,
      ...(minified ? {} : { adds: true as const }),
    },
  ];
}
