import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { configJsonSchema } from "./json-schema.js";
import { renderConfigDocs } from "./render-docs.js";
import { validateConfig } from "./validate.js";

const intro = readFileSync(new URL("./docs-intro.md", import.meta.url), "utf8");

test("docs/configuration.md is generated from the current schema", () => {
  const written = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
  assert.ok(written === renderConfigDocs(intro, configJsonSchema()), "docs/configuration.md is out of date: run `npx tsx scripts/gen-config-docs.ts` and commit the result");
});

test("the docs' example config is valid", () => {
  const example = /```yaml\n([\s\S]*?)```/.exec(intro)?.[1];
  assert.ok(example !== undefined, "the intro has a yaml example");
  const result = validateConfig(example, { source: "docs-intro.md", baseDir: "/", env: { LIFEGUARD_TOKEN: "an-example-token-0123456789" } });
  assert.deepEqual(result.ok ? [] : result.issues, []);
});

test("the reference documents every check kind and its defaults", () => {
  const docs = renderConfigDocs(intro, configJsonSchema());
  for (const heading of ["### `services.<name>.checks[].running`", "### `services.<name>.checks[].log-fresh`", "### `services.<name>.checks[].log-activity`", "### `services.<name>.checks[].heartbeat`"]) assert.ok(docs.includes(heading), heading);
  assert.ok(docs.includes("| `interval` | duration | `30s` | Time between check rounds in daemon mode (`lifeguard run`); at least `1s`. A round with nothing to judge is skipped: while each check follows what it looks at (`log-fresh` its log, `running` a supervised process) and nothing changed, the service is looked at in full every `interval` or 60 s, whichever is longer, and at its interval again once a change is heard. |"));
  assert.ok(docs.includes("| `systemd` | string | — | The systemd unit to watch and restart;"));
  assert.ok(docs.includes("| `command` | list of strings | — | The program and its arguments"));
  assert.ok(docs.includes("| `env` | map of name → string | `{}` |"));
  assert.ok(docs.includes("### `services.<name>.output`"));
  assert.ok(docs.includes("| `listen` | string | `127.0.0.1:9473` |"));
});
