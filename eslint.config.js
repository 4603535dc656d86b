import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";

// Dependencies point inward: the core is pure (no node:*, no adapters); adapters never import each other.
const adapters = ["checks", "runners", "store", "engine", "cli", "log", "config", "testing", "notify"];
// Globals that load undici when first touched (Node 20): about 7 MiB a daemon would keep resident.
const webFetchGlobals = ["Request", "Response", "Headers", "fetch", "FormData"];
const noImport = (patterns, message) => ["error", { patterns: patterns.map((group) => ({ group: [group], message })) }];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "bench/data/**", ".lab/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    languageOptions: { globals: { process: "readonly", console: "readonly", setTimeout: "readonly", clearTimeout: "readonly", URL: "readonly", Buffer: "readonly", AbortController: "readonly", AbortSignal: "readonly", setInterval: "readonly", clearInterval: "readonly", TextDecoder: "readonly", TextEncoder: "readonly" } },
    rules: {
      "import-x/no-cycle": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // CommonJS: the launcher (bin/package.json says so: the daemon then does not load the ESM
    // loader) and the bench's floor program, which stands in for the daemon.
    files: ["bin/**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["src/core/**/*.ts"],
    ignores: ["src/core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": noImport(["node:*", ...adapters.map((a) => `../${a}/*`)], "The core is pure: no I/O modules and no adapters."),
      "no-restricted-globals": ["error", { name: "Date", message: "The core takes time as an input (Clock or `now`)." }],
    },
  },
  {
    files: ["src/checks/**/*.ts", "src/runners/**/*.ts", "src/store/**/*.ts", "src/log/**/*.ts", "src/notify/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": noImport(["../engine/*", "../cli/*", "../testing/*"], "Adapters depend on the core, not on the engine, the CLI or test helpers."),
    },
  },
  {
    files: ["src/engine/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": noImport(["../cli/*", "../testing/*"], "The engine does not know the CLI.") },
  },
  {
    // What the daemon runs: plain request and answer values (src/http/exchange.ts) and node:http
    // requests (src/notify/http-request.ts) instead. Tests and test receivers may use them.
    files: ["src/**/*.ts"],
    // Not src/core: it has its own no-restricted-globals (Date), which this would replace; it does no I/O anyway.
    ignores: ["**/*.test.ts", "src/testing/**", "src/core/**"],
    rules: {
      "no-restricted-globals": ["error", ...webFetchGlobals.map((name) => ({ name, message: "This global loads undici (~7 MiB resident in the daemon): use src/http/exchange.ts or src/notify/http-request.ts." }))],
    },
  },
);
