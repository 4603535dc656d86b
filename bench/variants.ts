// Variants of the launcher and of the daemon's bundle, each without one piece of the machinery
// that saves resident memory or start-up time, so the bench can weigh that piece. They are
// written into a scratch directory inside the checkout (bench/data/): bundles there find
// node_modules and the native addon as dist/ does.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { RUN_BUNDLE } from "../scripts/bundle-options.js";
import { BIN, REPO } from "../test/support/lab.js";

const DIST = join(REPO, "dist");

/** One way to start the daemon, named for the piece it lacks. */
export interface Variant {
  id: "production" | "config-here" | "cli-bundle" | "v8-flags";
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

/** The launcher that runs `check` from the CLI bundle without a code cache, in `dir`. */
export function writeNoCacheLauncher(dir: string): string {
  return writeLauncher(join(dir, "no-code-cache.cjs"), join(DIST, "lifeguard-cli.cjs"), [], "The CLI bundle without bin/lifeguard.js's V8 code cache");
}

/** The production daemon and one variant per piece weighed, built into `dir`. */
export async function buildDaemonVariants(dir: string): Promise<Variant[]> {
  const flags = launcherV8Flags();
  // The other side of the launcher's choice: without --no-opt if it sets it, with it if not.
  const flipped = flags.includes("--no-opt") ? flags.filter((flag) => flag !== "--no-opt") : [...flags, "--no-opt"];
  await build({
    ...RUN_BUNDLE,
    absWorkingDir: REPO,
    outdir: dir,
    sourcemap: false,
    logLevel: "error",
    plugins: [{ name: "config-here", setup: (esbuild) => esbuild.onResolve({ filter: /\/load-config-apart\.js$/ }, () => ({ path: join(import.meta.dirname, "load-config-here.ts") })) }],
  });
  const runBundle = join(DIST, "lifeguard-run.cjs");
  return [
    { id: "production", label: "as shipped (`bin/lifeguard.js`)", launcher: BIN, v8Flags: flags },
    { id: "config-here", label: "config loaded in the daemon's process (no config process)", launcher: writeLauncher(join(dir, "config-here.cjs"), join(dir, "lifeguard-run.cjs"), flags, "The daemon's bundle with its config loaded in its own process"), v8Flags: flags },
    { id: "cli-bundle", label: "daemon run from the CLI bundle (no bundle of its own)", launcher: writeLauncher(join(dir, "cli-bundle.cjs"), join(DIST, "lifeguard-cli.cjs"), flags, "`run` from the CLI bundle, which holds every command"), v8Flags: flags },
    { id: "v8-flags", label: flipped.includes("--no-opt") ? "with `--no-opt` (the optimising compiler off)" : "without `--no-opt` (V8's default: the optimising compiler on)", launcher: writeLauncher(join(dir, "v8-flags.cjs"), runBundle, flipped, `The daemon's bundle with the V8 flags ${JSON.stringify(flipped)}`), v8Flags: flipped, ...(flipped.includes("--no-opt") ? { adds: true as const } : {}) },
  ];
}
