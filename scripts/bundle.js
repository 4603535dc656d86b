#!/usr/bin/env node
// Bundles the CLI into one file so `lifeguard check` starts fast from cron (one file to load,
// not hundreds). better-sqlite3 stays external: it is a native addon.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/lifeguard-cli.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external: ["better-sqlite3"],
  banner: { js: 'import { createRequire as __lifeguardRequire } from "node:module"; const require = __lifeguardRequire(import.meta.url);' },
  logLevel: "warning",
});
