#!/usr/bin/env node
// Starts the bundled CLI with a V8 code cache: cron starts Lifeguard every minute, and
// compiling the bundle is a third of its start-up. Node 20 has no built-in compile cache, so
// the bundle runs as a vm.Script with `cachedData`. The cache is an optimisation only: when it
// is missing, stale (another Node version) or corrupt, V8 rejects it, the bundle compiles as
// usual, and a fresh cache is written where the install directory is writable. Each command
// has its own cache, holding the code that command ran (`check` compiles the store, the checks
// and the engine; `validate` only the config pipeline).
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname } from "node:path";
import v8 from "node:v8";
import vm from "node:vm";

const command = /^[a-z-]+$/.test(process.argv[2] ?? "") ? process.argv[2] : "other";
// The daemon has a bundle of its own: a long-running process should hold only the code it runs.
const name = command === "run" ? "lifeguard-run" : "lifeguard-cli";
const bundle = fileURLToPath(new URL(`../dist/${name}.cjs`, import.meta.url));
const cacheFile = fileURLToPath(new URL(`../dist/${name}.${command}.cache`, import.meta.url));

// The daemon's work is a few small rounds a second: interpreter and baseline code run it at no
// measurable CPU cost, and without the optimising compiler its machine code is never paged in.
if (command === "run") v8.setFlagsFromString("--no-opt");

const { script, cached } = compile();
const module = { exports: {} };
script.runInThisContext().call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));

process.exitCode = await module.exports.main(process.argv.slice(2));
if (!cached || script.cachedDataRejected) writeCache(script.createCachedData());

/** In a function: the cache's bytes are garbage once compiled, not kept for as long as the daemon runs. */
function compile() {
  const cachedData = readOptional(cacheFile);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, "utf8")}\n})`;
  const script = new vm.Script(wrapped, { filename: bundle, ...(cachedData === undefined ? {} : { cachedData }) });
  return { script, cached: cachedData !== undefined };
}

function readOptional(path) {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Written whole or not at all (a concurrent run reads either the old file or the new one). */
function writeCache(data) {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, cacheFile);
  } catch {
    rmSync(temporary, { force: true });
  }
}
