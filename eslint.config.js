import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";

// Dependencies point inward: the core is pure (no node:*, no adapters); adapters never import each other.
const adapters = ["checks", "runners", "store", "engine", "cli", "log", "config", "testing", "notify"];
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
);
