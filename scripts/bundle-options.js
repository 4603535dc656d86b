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
 * The daemon's bundle. It holds its source in memory for as long as it runs: whitespace and
 * syntax minified, it is a third smaller, while names stay readable in stack traces.
 */
export const RUN_BUNDLE = { ...COMMON, entryPoints: { "lifeguard-run": "src/cli/run-main.ts" }, minifyWhitespace: true, minifySyntax: true };
