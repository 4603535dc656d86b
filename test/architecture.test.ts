// The house rules the lint enforces, shown failing: a forbidden import from every folder of src/
// (the layers table in docs/architecture.md), an import cycle of types, a folder the table forgets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ESLint } from "eslint";
import { findCycles } from "../scripts/check-cycles.js";
import { layerPath, readLayers, SRC_FILES } from "../scripts/layers.js";

const REPO = join(import.meta.dirname, "..");
const LAYERS = readLayers(REPO);

/** A real module of the folder to import (the rule must resolve an import to judge it): its first non-test file. */
function moduleOf(folder: string): string {
  if (folder === SRC_FILES) return "src/index.ts";
  const file = readdirSync(join(REPO, "src", folder)).filter((name) => name.endsWith(".ts") && !name.includes(".test.") && !name.includes(".contract.")).sort()[0];
  assert.ok(file !== undefined, `src/${folder} has a module`);
  return `src/${folder}/${file}`;
}

/** Where a probe file of the folder sits: two levels down, so that depth is part of what is shown. */
function probePath(folder: string): string {
  return folder === SRC_FILES ? "src/lint-probe.ts" : `src/${folder}/lint-probe/deep/probe.ts`;
}

function importLine(from: string, module: string, typeOnly: boolean): string {
  const depth = from.split("/").length - 2; // src/x/lint-probe/deep/probe.ts is three levels below src/
  const specifier = `${"../".repeat(depth) || "./"}${module.slice("src/".length).replace(/\.ts$/, ".js")}`;
  return typeOnly ? `import type * as T from "${specifier}";` : `import "${specifier}";`;
}

test("lint refuses, from every folder of src/ and at any depth, an import of a folder its row of the layers table does not name, type-only imports too", async () => {
  const eslint = new ESLint({ cwd: REPO });
  for (const { folder, allowed } of LAYERS) {
    const probe = probePath(folder);
    const others = LAYERS.map((layer) => layer.folder).filter((other) => other !== folder);
    // Each other folder once by a value import and once by a type-only import, a line each.
    const lines = others.flatMap((other) => [importLine(probe, moduleOf(other), false), importLine(probe, moduleOf(other), true)]);
    const [result] = await eslint.lintText(`${lines.join("\n")}\nexport {};\n`, { filePath: join(REPO, probe) });
    const refused = new Set((result?.messages ?? []).filter((message) => message.ruleId === "import-x/no-restricted-paths").map((message) => message.line));
    others.forEach((other, index) => {
      const expected = !allowed.includes(other);
      for (const line of [2 * index + 1, 2 * index + 2]) {
        assert.equal(refused.has(line), expected, `${probe}: an import of ${layerPath(other)} (line ${line}) should be ${expected ? "refused" : "allowed"}`);
      }
    });
  }
});

test("a test may import any folder: the layers bind the code, not its tests", async () => {
  const eslint = new ESLint({ cwd: REPO });
  const [result] = await eslint.lintText(`${importLine("src/core/x.test.ts", moduleOf("cli"), false)}\nexport {};\n`, { filePath: join(REPO, "src/core/x.test.ts") });
  assert.deepEqual(result?.messages.filter((message) => message.ruleId === "import-x/no-restricted-paths"), []);
});

test("the layers table must name every folder of src/, and only folders it has rows for", (t) => {
  const root = mkdtempSync(join(tmpdir(), "layers-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, "docs"));
  for (const folder of ["core", "engine", "extra"]) mkdirSync(join(root, "src", folder), { recursive: true });
  const table = (rows: string) => `# A\n\n<!-- layers:begin -->\n| folder | may import |\n|---|---|\n${rows}<!-- layers:end -->\n`;
  writeFileSync(join(root, "docs/architecture.md"), table("| `core` | — |\n| `engine` | `core` |\n"));
  assert.throws(() => readLayers(root), /src\/extra\/ has no row in the layers table/);
  writeFileSync(join(root, "docs/architecture.md"), table("| `core` | — |\n| `engine` | `core`, `store` |\n| `extra` | — |\n"));
  assert.throws(() => readLayers(root), /"engine" may import "store", which has no row of its own/);
  writeFileSync(join(root, "docs/architecture.md"), "# A\n");
  assert.throws(() => readLayers(root), /has no layers table/);
});

test("the cycle check finds a cycle of type-only imports, and a module re-exporting itself; the project has none", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "cycles-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "a.ts"), 'import type { B } from "./b.js";\nexport type A = { b: B };\n');
  writeFileSync(join(dir, "b.ts"), 'import type { A } from "./a.js";\nexport type B = { a?: A };\n');
  writeFileSync(join(dir, "c.ts"), 'export * from "./c.js";\n');
  writeFileSync(join(dir, "d.ts"), 'import "./a.js";\n');
  assert.deepEqual(findCycles(["."], dir).map((cycle) => cycle.join(" ")).sort(), ["a.ts b.ts", "c.ts"]);
  assert.deepEqual(findCycles(["src", "test", "bench"], REPO), []);
});

test("no source file of src/ is over 300 lines", () => {
  const files = readdirSync(join(REPO, "src"), { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"));
  const long = files.map((name) => ({ name, lines: readFileSync(join(REPO, "src", name), "utf8").split("\n").length })).filter((file) => file.lines > 300);
  assert.deepEqual(long, []);
});
