// Writes docs/configuration.md from the config schema (src/config/schema.ts) and its hand-written
// intro (src/config/docs-intro.md). Run: npx tsx scripts/gen-config-docs.ts
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configJsonSchema } from "../src/config/json-schema.js";
import { renderConfigDocs } from "../src/config/render-docs.js";

const root = new URL("..", import.meta.url);
const intro = readFileSync(new URL("src/config/docs-intro.md", root), "utf8");
const target = fileURLToPath(new URL("docs/configuration.md", root));
writeFileSync(target, renderConfigDocs(intro, configJsonSchema()));
console.log(`Wrote ${target}`);
