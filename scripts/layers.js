// The layers of src/, as the table in docs/architecture.md writes them once: which folder may
// import which. ESLint turns the table into import-x/no-restricted-paths zones (eslint.config.js);
// test/lint-layers.test.ts lints a forbidden and an allowed import from every folder.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DOC = "docs/architecture.md";
/** The table's key for the files directly in src/ (the library's entry). */
export const SRC_FILES = "*.ts";

/**
 * The table: each row's folder and the folders it may import, in the table's order. Throws when
 * the table is missing or a folder of src/ has no row, so that no folder goes unguarded.
 */
export function readLayers(root = ROOT) {
  const text = readFileSync(join(root, DOC), "utf8");
  const begin = text.indexOf("<!-- layers:begin");
  const end = text.indexOf("<!-- layers:end -->");
  if (begin === -1 || end < begin) throw new Error(`${DOC} has no layers table between <!-- layers:begin --> and <!-- layers:end -->`);
  const rows = text.slice(begin, end).split("\n").filter((line) => /^\|\s*`/.test(line));
  const layers = rows.map((line) => {
    const [folder, allowed] = line.split("|").slice(1, 3).map((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]));
    if (folder?.length !== 1) throw new Error(`${DOC}: a layers row must name one folder first: ${line}`);
    return { folder: folder[0], allowed: allowed ?? [] };
  });
  const named = new Set(layers.map((layer) => layer.folder));
  for (const layer of layers) {
    const unknown = layer.allowed.find((folder) => !named.has(folder));
    if (unknown !== undefined) throw new Error(`${DOC}: "${layer.folder}" may import "${unknown}", which has no row of its own`);
  }
  const folders = readdirSync(join(root, "src"), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const missing = folders.find((folder) => !named.has(folder));
  if (missing !== undefined) throw new Error(`${DOC}: src/${missing}/ has no row in the layers table: say what it may import`);
  return layers;
}

/** The path a table key stands for, relative to the repository (a folder, or the glob of src/'s own files). */
export function layerPath(folder) {
  return folder === SRC_FILES ? `src/${SRC_FILES}` : `src/${folder}`;
}

/** import-x/no-restricted-paths zones: each folder, from every folder its row does not name. */
export function layerZones(root = ROOT) {
  const layers = readLayers(root);
  return layers.flatMap(({ folder, allowed }) => {
    const forbidden = layers.map((layer) => layer.folder).filter((other) => other !== folder && !allowed.includes(other));
    return forbidden.map((other) => ({
      target: join(root, layerPath(folder)),
      from: join(root, layerPath(other)),
      message: `${layerPath(folder)} may import only ${allowed.length === 0 ? "nothing of src/" : allowed.map(layerPath).join(", ")} (the layers table in ${DOC}).`,
    }));
  });
}
