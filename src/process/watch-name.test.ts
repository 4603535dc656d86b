import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../testing/wait-for.js";
import { watchName, type NameEvent } from "./watch-name.js";

function scratch(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-watch-name-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function listen(t: { after(fn: () => void): void }, path: string): NameEvent[] {
  const heard: NameEvent[] = [];
  t.after(watchName(path, (event) => heard.push(event)));
  return heard;
}

const hears = (heard: NameEvent[], event: NameEvent) => waitFor(() => heard.includes(event), { timeoutMs: 5_000, intervalMs: 10 });

test("watchName hears the name's writes and truncation as change, and nothing of other names", async (t) => {
  const dir = scratch(t);
  const path = join(dir, "bot.log");
  writeFileSync(path, "one\n");
  const heard = listen(t, path);
  const other = listen(t, join(dir, "other.log"));
  appendFileSync(path, "two\n");
  assert.ok(await hears(heard, "change"));
  heard.length = 0;
  truncateSync(path, 0);
  assert.ok(await hears(heard, "change"), "copytruncate's truncation");
  assert.deepEqual(other, [], "a listener hears its own name only");
});

test("watchName hears a rotation by rename, a deletion and a re-creation as rename", async (t) => {
  const dir = scratch(t);
  const path = join(dir, "bot.log");
  writeFileSync(path, "one\n");
  const heard = listen(t, path);
  renameSync(path, `${path}.1`);
  assert.ok(await hears(heard, "rename"), "renamed away");
  heard.length = 0;
  writeFileSync(path, "new\n");
  assert.ok(await hears(heard, "rename"), "made again");
  heard.length = 0;
  unlinkSync(path);
  assert.ok(await hears(heard, "rename"), "deleted");
});

test("watchName tells every listener `lost` once the directory is gone, and watches a new one again", async (t) => {
  const dir = scratch(t);
  const logs = join(dir, "logs");
  mkdirSync(logs);
  const path = join(logs, "bot.log");
  writeFileSync(path, "one\n");
  const heard = listen(t, path);
  rmSync(logs, { recursive: true });
  assert.ok(await hears(heard, "lost"), `heard: ${heard.join(", ")}`);
  mkdirSync(logs);
  const again = listen(t, path);
  writeFileSync(path, "two\n");
  assert.ok(await hears(again, "rename"), "the new directory is watched");
});

test("watchName throws when the directory cannot be watched", (t) => {
  const dir = scratch(t);
  assert.throws(() => watchName(join(dir, "missing", "bot.log"), () => undefined), { code: "ENOENT" });
});
