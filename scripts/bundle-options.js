// The esbuild options of Lifeguard's bundles (scripts/bundle.js), shared with the bench, which
// builds variants of the daemon's bundle with them to weigh what a choice saves (bench/variants.ts).
// Relative paths are the checkout's: build with absWorkingDir set to it.

/** Every bundle: CommonJS for Node 20, one file per entry in dist/. */
export const COMMON = {
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

/**
 * The bundles, by file name (see scripts/bundle.js). None is minified: the daemon's, a third
 * smaller so, was 0.1 MiB less resident (`npm run bench -- weigh`), and stack traces and the
 * bench's profile of `check` read the code as written.
 */
export const ENTRY_POINTS = {
  "lifeguard-cli": "src/cli/main.ts",
  "lifeguard-run": "src/cli/run-main.ts",
  "lifeguard-config": "src/cli/config-process.ts",
  "lifeguard-page": "src/page/status-page.ts",
};
