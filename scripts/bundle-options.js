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
 * The bundles, by file name (see scripts/bundle.js). Only the daemon's is minified, whitespace and
 * syntax (names are kept, so stack traces still name each function; the source map maps them back
 * with `node --enable-source-maps`): minified, the idle daemon is some 1.2 to 1.5 MiB less resident
 * (`npm run bench -- weigh`). The others are read as written: the bench's profile of `check`
 * names its lines.
 */
export const ENTRY_POINTS = {
  "lifeguard-cli": "src/cli/main.ts",
  "lifeguard-run": "src/cli/run-main.ts",
  "lifeguard-config": "src/cli/config-process.ts",
  "lifeguard-page": "src/page/status-page.ts",
};

/** The bundles built minified (whitespace and syntax), and how. */
export const MINIFIED = ["lifeguard-run"];
export const MINIFY = { minifyWhitespace: true, minifySyntax: true };
