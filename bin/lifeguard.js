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
import vm from "node:vm";

const bundle = fileURLToPath(new URL("../dist/lifeguard-cli.cjs", import.meta.url));
const command = /^[a-z-]+$/.test(process.argv[2] ?? "") ? process.argv[2] : "other";
const cacheFile = fileURLToPath(new URL(`../dist/lifeguard-cli.${command}.cache`, import.meta.url));

const cachedData = readOptional(cacheFile);
const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, "utf8")}\n})`;
const script = new vm.Script(wrapped, { filename: bundle, ...(cachedData === undefined ? {} : { cachedData }) });
const module = { exports: {} };
script.runInThisContext().call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));

process.exitCode = await module.exports.main(process.argv.slice(2));
if (cachedData === undefined || script.cachedDataRejected) writeCache(script.createCachedData());

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
