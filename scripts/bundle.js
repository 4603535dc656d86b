#!/usr/bin/env node
// Bundles the CLI into CommonJS files so `lifeguard check` starts fast from cron: one file to
// read instead of hundreds, and one V8 code cache for it (bin/lifeguard.js). Four bundles:
// - lifeguard-cli.cjs: every command;
// - lifeguard-run.cjs: `lifeguard run` alone, which bin/lifeguard.js starts for the daemon, so
//   that the long-running process holds only its own code (src/cli/run-main.ts): some 12 MiB
//   less resident than the daemon run from the CLI bundle;
// - lifeguard-config.cjs: the process in which the daemon loads its config (src/cli/config-process.ts),
//   so that zod, the YAML parser and the schema never stay in the daemon: some 10 MiB less
//   resident. (Both figures: `npm run bench -- weigh`.) It alone is minified (whitespace and
//   syntax): some 1.2 to 1.5 MiB less resident, the same bench.
// - lifeguard-page.cjs: the status page (src/page/status-page.ts), which the daemon requires at the
//   page's first request (src/daemon/load-status-page.ts): inside the daemon's bundle, even never
//   run, its code kept an idle daemon some 0.5 MiB larger.
// better-sqlite3 stays external: it is a native addon. So do nodemailer and prom-client, which
// are loaded only when first needed (the first email, the first /metrics scrape): required from
// node_modules then, their code is not held in memory by a daemon that never uses them. re2js,
// the log patterns' engine, is required the same way (src/process/lazy-re2.ts), by no bundle.
// `npm run build` empties dist/ first: no code cache of an earlier bundle is left to be rejected
// (bin/lifeguard.js writes each command's cache on its first run).
import { build } from "esbuild";
import { COMMON, ENTRY_POINTS, MINIFIED, MINIFY } from "./bundle-options.js";

const pick = (minified) => Object.fromEntries(Object.entries(ENTRY_POINTS).filter(([name]) => MINIFIED.includes(name) === minified));
await Promise.all([build({ ...COMMON, entryPoints: pick(false) }), build({ ...COMMON, ...MINIFY, entryPoints: pick(true) })]);
