#!/usr/bin/env node
// Bundles the CLI into CommonJS files so `lifeguard check` starts fast from cron: one file to
// read instead of hundreds, and one V8 code cache for it (bin/lifeguard.js). Three bundles:
// - lifeguard-cli.cjs: every command;
// - lifeguard-run.cjs: `lifeguard run` alone, which bin/lifeguard.js starts for the daemon, so
//   that the long-running process holds only its own code (src/cli/run-main.ts);
// - lifeguard-config.cjs: the process in which the daemon loads its config (src/cli/config-process.ts).
// better-sqlite3 stays external: it is a native addon. So do nodemailer and prom-client, which
// are loaded only when first needed (the first email, the first /metrics scrape): required from
// node_modules then, their code is not held in memory by a daemon that never uses them. re2js,
// the log patterns' engine, is required the same way (src/process/lazy-re2.ts), by no bundle.
import { build } from "esbuild";
import { readdirSync, rmSync } from "node:fs";

const common = {
  outdir: "dist",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: true,
  external: ["better-sqlite3", "nodemailer", "prom-client"],
  // import("nodemailer") becomes a require() when first called: bin/lifeguard.js runs the CLI
  // bundle as a vm.Script (for its code cache), which has no loader for a dynamic import().
  supported: { "dynamic-import": false },
  logLevel: "warning",
  // src/process/native-addon.ts falls back to __dirname when import.meta is empty (CommonJS).
  logOverride: { "empty-import-meta": "silent" },
};

await build({ ...common, entryPoints: { "lifeguard-cli": "src/cli/main.ts", "lifeguard-config": "src/cli/config-process.ts" } });
// The daemon holds its bundle's source in memory for as long as it runs: whitespace and syntax
// minified, it is a third smaller, while names stay readable in stack traces. (The CLI bundle
// stays as written: the bench maps `check`'s CPU profile onto it line by line.)
await build({ ...common, entryPoints: { "lifeguard-run": "src/cli/run-main.ts" }, minifyWhitespace: true, minifySyntax: true });

// Code caches of the previous bundles would only be rejected: drop them (bin/lifeguard.js
// writes each command's cache on its first run).
for (const file of readdirSync("dist")) if (/^lifeguard-[a-z]+\.([a-z-]+\.)?cache$/.test(file)) rmSync(`dist/${file}`);
