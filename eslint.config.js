import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importX, { createNodeResolver } from "eslint-plugin-import-x";
import { layerZones } from "./scripts/layers.js";

// Globals that load undici when first touched (Node 20): about 7 MiB a daemon would keep resident.
const webFetchGlobals = ["Request", "Response", "Headers", "fetch", "FormData"];
const noImport = (patterns, message) => ["error", { patterns: patterns.map((group) => ({ group: [group], message })) }];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "bench/data/**", ".lab/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    // Imports name the built file (`./x.js`); the resolver finds the source (`./x.ts`), without which
    // the import rules cannot tell where an import leads, and pass it silently.
    settings: { "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js", ".cjs", ".json", ".node"], extensionAlias: { ".js": [".ts", ".js"] } })] },
    languageOptions: { globals: { process: "readonly", console: "readonly", setTimeout: "readonly", clearTimeout: "readonly", URL: "readonly", Buffer: "readonly", AbortController: "readonly", AbortSignal: "readonly", setInterval: "readonly", clearInterval: "readonly", TextDecoder: "readonly", TextEncoder: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Each folder of src/ imports only what its row of the layers table in docs/architecture.md
    // names (scripts/layers.js reads it); import cycles are refused by scripts/check-cycles.js.
    files: ["src/**/*.ts"],
    ignores: ["**/*.test.ts", "**/*.contract.ts"],
    rules: { "import-x/no-restricted-paths": ["error", { zones: layerZones() }] },
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
      "no-restricted-imports": noImport(["node:*"], "The core is pure: no I/O modules."),
      "no-restricted-globals": ["error", { name: "Date", message: "The core takes time as an input (Clock or `now`)." }],
    },
  },
  {
    // What the daemon runs: plain request and answer values (src/http/exchange.ts) and node:http
    // requests (src/process/http-request.ts) instead. Tests and test receivers may use them.
    files: ["src/**/*.ts"],
    // Not src/core: it has its own no-restricted-globals (Date), which this would replace; it does no I/O anyway.
    ignores: ["**/*.test.ts", "src/testing/**", "src/core/**"],
    rules: {
      "no-restricted-globals": ["error", ...webFetchGlobals.map((name) => ({ name, message: "This global loads undici (~7 MiB resident in the daemon): use src/http/exchange.ts or src/process/http-request.ts." }))],
    },
  },
);
