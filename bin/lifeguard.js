#!/usr/bin/env node
// The launcher, in CommonJS (bin/package.json): an ES module entry would keep Node's ESM loader
// resident in the daemon for nothing (measured about 0.6 MiB of its RSS).
//
// `lifeguard run`, the daemon, has a bundle of its own (dist/lifeguard-run.cjs): a long-running
// process should hold only the code it runs (from the CLI bundle it would hold some 12 MiB more:
// `npm run bench -- weigh`). It is required as is: it starts once, so a compile cache would save it
// nothing that matters.
//
// Every other command runs the CLI bundle with a V8 code cache: cron starts `lifeguard check`
// every minute, and compiling the bundle is a third of its start-up. Node 20 has no built-in
// compile cache, so the bundle runs as a vm.Script with `cachedData`. The cache is an
// optimisation only: when it is missing, stale (another Node version) or corrupt, V8 rejects it,
// the bundle compiles as usual, and a fresh cache is written where the install directory is
// writable. Each command has its own cache, holding the code that command ran (`check` compiles
// the store, the checks and the engine; `validate` only the config pipeline), and so has the
// program itself (`--help`, `--version`); a word that is no command gets none, or every typo
// would leave a file of some 650 KiB in dist/. Only the CLI knows its commands: it is asked once
// the command has run, and only when a cache is to be written.
"use strict";
const { readFileSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const { dirname, join } = require("node:path");

const dist = join(__dirname, "..", "dist");
const word = process.argv[2] ?? "";

if (word === "run") {
  // The daemon's work is a few small rounds a second: interpreter and baseline code run it at no
  // measurable CPU cost, and without the optimising compiler its machine code is never paged in
  // (some 3.5 MiB less resident: `npm run bench -- weigh`).
  require("node:v8").setFlagsFromString("--no-opt");
  // Each round's garbage is small, but 200 services make 40 rounds a second, and V8 answers that
  // by growing the young generation to 32 MiB (64 MiB on Node 24) and the old one in 8 MiB steps
  // between collections. These keep the young generation at its first 2 MiB (its size cannot be
  // capped once the heap exists, its growth can) and grow the old one in small steps: 200 services
  // at 5 s stay at 65 MiB where they reached 97 MiB (median over 10 minutes), for 3.5 % of a core
  // against 3.0 % (`npm run bench -- memory`). Node 22 and 24 take both flags at run time too.
  require("node:v8").setFlagsFromString("--semi-space-growth-factor=1");
  require("node:v8").setFlagsFromString("--optimize-for-size");
  finish(require(join(dist, "lifeguard-run.cjs")).main(process.argv.slice(2)));
} else {
  const bundle = join(dist, "lifeguard-cli.cjs");
  const program = word === "" || word.startsWith("-");
  // A word that could name a file elsewhere (a dot, a slash) is no command: no cache is read.
  const cacheFile = program ? join(dist, "lifeguard-cli.cache") : /^[a-z][a-z-]*$/.test(word) ? join(dist, `lifeguard-cli.${word}.cache`) : null;
  const { script, cached } = compile(bundle, cacheFile);
  const module = { exports: {} };
  const { createRequire } = require("node:module");
  script.runInThisContext().call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  finish(module.exports.main(process.argv.slice(2)), () => {
    const stale = !cached || script.cachedDataRejected;
    if (cacheFile !== null && stale && (program || module.exports.commandNames().includes(word))) writeCache(cacheFile, script.createCachedData());
  });
}

/** Sets the exit code from the command's answer, then runs `after`. A rejection stays unhandled: Node prints it and exits with 1. */
function finish(running, after = () => {}) {
  void running.then((code) => {
    process.exitCode = code;
    after();
  });
}

/** In a function: the cache's bytes are garbage once compiled, not kept for as long as the command runs. */
function compile(bundle, cacheFile) {
  const vm = require("node:vm");
  const cachedData = cacheFile === null ? undefined : readOptional(cacheFile);
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
function writeCache(cacheFile, data) {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, cacheFile);
  } catch {
    rmSync(temporary, { force: true });
  }
}
