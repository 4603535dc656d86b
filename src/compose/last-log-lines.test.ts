import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildConfig } from "../testing/build-config.js";
import { lastLogLines } from "./last-log-lines.js";

const forever = (): AbortSignal => new AbortController().signal;

test("the last lines of a service's log for a capture: the file its check watches, else its output file, each line shortened", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-last-lines-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "bot.log");
  writeFileSync(log, `${Array.from({ length: 15 }, (_, i) => `line ${i}`).join("\n")}\n${"x".repeat(500)}\n`);
  writeFileSync(join(dir, "out.log"), "started\n");
  const config = buildConfig({
    state: join(dir, "state"),
    services: {
      watched: { command: ["/bin/true"], checks: [{ "log-fresh": { path: log, "max-age": "1m" } }] },
      output: { command: ["/bin/true"], output: { file: join(dir, "out.log") } },
      missing: { command: ["/bin/true"], checks: [{ "log-fresh": { path: join(dir, "nowhere.log"), "max-age": "1m" } }] },
    },
  });
  const [watched, output, missing] = config.services.map((service) => lastLogLines(service));
  return Promise.all([watched, output, missing].map((read) => read?.(forever(), 1000))).then(([fromCheck, fromOutput, fromNowhere]) => {
    assert.equal(fromCheck?.source, log);
    assert.deepEqual(fromCheck?.lines.slice(0, 9), Array.from({ length: 9 }, (_, i) => `line ${i + 6}`), "the last ten, oldest first");
    assert.equal(fromCheck?.lines[9]?.length, 200, "a long line is shortened as evidence keeps lines");
    assert.deepEqual(fromOutput, { source: join(dir, "out.log"), lines: ["started"] });
    assert.deepEqual(fromNowhere, { source: join(dir, "nowhere.log"), lines: [], problem: "ENOENT" });
  });
});
