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
import { COMMON, RUN_BUNDLE } from "./bundle-options.js";

// (The CLI bundle stays as written: the bench maps `check`'s CPU profile onto it line by line.)
await build({ ...COMMON, entryPoints: { "lifeguard-cli": "src/cli/main.ts", "lifeguard-config": "src/cli/config-process.ts" } });
await build(RUN_BUNDLE);

// Code caches of the previous bundles would only be rejected: drop them (bin/lifeguard.js
// writes each command's cache on its first run).
for (const file of readdirSync("dist")) if (/^lifeguard-[a-z]+\.([a-z-]+\.)?cache$/.test(file)) rmSync(`dist/${file}`);
