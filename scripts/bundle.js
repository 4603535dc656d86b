#!/usr/bin/env node
// Bundles the CLI into one CommonJS file so `lifeguard check` starts fast from cron: one file
// to read instead of hundreds, and one V8 code cache for it (bin/lifeguard.js). better-sqlite3
// stays external: it is a native addon.
import { build } from "esbuild";
import { readdirSync, rmSync } from "node:fs";

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/lifeguard-cli.cjs",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: true,
  external: ["better-sqlite3"],
  logLevel: "warning",
  // src/daemon/datagram-socket.ts falls back to __dirname when import.meta is empty (CommonJS).
  logOverride: { "empty-import-meta": "silent" },
});

// Code caches of the previous bundle would only be rejected: drop them (bin/lifeguard.js
// writes each command's cache on its first run).
for (const file of readdirSync("dist")) if (/^lifeguard-cli\.([a-z-]+\.)?cache$/.test(file)) rmSync(`dist/${file}`);
