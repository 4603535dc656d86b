import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { followFile, type FollowNotice, type FollowOptions } from "./follow-file.js";
import { rotateFile } from "./rotate-file.js";
import { waitFor } from "../testing/wait-for.js";
import { LOGROTATE_SKIP, rotateWithLogrotate } from "../testing/logrotate.js";

type Context = { after(fn: () => unknown): void };

function workdir(t: Context): string {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-follow-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Follows `path` until the test ends; `hold()` makes the sink wait (a slow reader) until `release()`. */
function follow(t: Context, path: string, options: Partial<FollowOptions> = {}) {
  const lines: string[] = [];
  const notices: FollowNotice[] = [];
  const controller = new AbortController();
  let gate: { promise: Promise<void>; release: () => void } | null = null;
  const done = followFile(path, {
    lines: async (batch) => {
      lines.push(...batch);
      await gate?.promise;
    },
    notice: (notice) => void notices.push(notice),
  }, { from: 0, ...options, signal: controller.signal });
  const stop = async (): Promise<void> => {
    gate?.release();
    controller.abort();
    await done;
  };
  t.after(stop);
  return {
    lines,
    notices,
    kinds: () => notices.map((notice) => notice.kind),
    has: (count: number) => waitFor(() => lines.length >= count),
    hold: () => {
      let release = (): void => undefined;
      const promise = new Promise<void>((resolve) => (release = resolve));
      gate = { promise, release: () => release() };
    },
    release: () => {
      gate?.release();
      gate = null;
    },
    stop,
  };
}

test("followFile gives each new line once it is complete, from the position it is given", async (t) => {
  const path = join(workdir(t), "bot.log");
  writeFileSync(path, "old 1\nold 2\npart");
  const follower = follow(t, path, { from: "old 1\nold 2\npart".length, pending: Buffer.from("part") });
  appendFileSync(path, "ial\nnext\nunfinished");
  assert.ok(await follower.has(2), `lines: ${JSON.stringify(follower.lines)}`);
  appendFileSync(path, " now\r\n");
  assert.ok(await follower.has(3));
  await follower.stop();
  assert.deepEqual(follower.lines, ["partial", "next", "unfinished now"]);
  assert.deepEqual(follower.notices, []);
});

test("followFile follows Lifeguard's own size rotation: the old file to its end, then the new one", async (t) => {
  const path = join(workdir(t), "out.log");
  writeFileSync(path, "");
  const follower = follow(t, path);
  appendFileSync(path, "one\n");
  assert.ok(await follower.has(1));
  follower.hold(); // lines written to the old file just before the rotation, not read yet
  appendFileSync(path, "two\nthree\n");
  rotateFile(path, 2);
  appendFileSync(path, "four\n");
  follower.release();
  assert.ok(await follower.has(4), `lines: ${JSON.stringify(follower.lines)}`);
  rotateFile(path, 2);
  appendFileSync(path, "five\n");
  assert.ok(await follower.has(5), `lines: ${JSON.stringify(follower.lines)}`);
  assert.deepEqual(follower.lines, ["one", "two", "three", "four", "five"]);
  assert.deepEqual(follower.kinds(), ["replaced", "replaced"]);
});

test("followFile gives a line left unfinished in a rotated file as it is", async (t) => {
  const path = join(workdir(t), "bot.log");
  writeFileSync(path, "");
  const follower = follow(t, path);
  appendFileSync(path, "whole\ncut short");
  assert.ok(await follower.has(1));
  renameSync(path, `${path}.1`);
  writeFileSync(path, "new\n");
  assert.ok(await follower.has(3));
  assert.deepEqual(follower.lines, ["whole", "cut short", "new"]);
});

test("followFile restarts at 0 after a copytruncate, with what it had not read yet taken from the copy", async (t) => {
  const path = join(workdir(t), "bot.log");
  writeFileSync(path, "");
  const follower = follow(t, path);
  appendFileSync(path, "a\n");
  assert.ok(await follower.has(1));
  follower.hold(); // the follower is busy while the bot writes and logrotate copies and truncates
  appendFileSync(path, "b\nc\n");
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, "d\n");
  follower.release();
  assert.ok(await follower.has(4), `lines: ${JSON.stringify(follower.lines)}`);
  assert.deepEqual(follower.lines, ["a", "b", "c", "d"]);
  assert.deepEqual(follower.notices, [{ kind: "truncated", path, recoveredFrom: `${path}.1` }]);
});

test("followFile says so when a truncated file has no copy to read the rest from", async (t) => {
  const path = join(workdir(t), "bot.log");
  writeFileSync(path, "");
  const follower = follow(t, path);
  appendFileSync(path, "a long first line\n");
  assert.ok(await follower.has(1));
  truncateSync(path, 0);
  assert.ok(await waitFor(() => follower.notices.length === 1));
  appendFileSync(path, "after\n");
  assert.ok(await follower.has(2));
  assert.deepEqual(follower.lines, ["a long first line", "after"]);
  assert.deepEqual(follower.notices, [{ kind: "truncated", path, recoveredFrom: null }]);
});

test("followFile sees a file truncated and written past the old position again", async (t) => {
  const path = join(workdir(t), "bot.log");
  writeFileSync(path, "");
  const follower = follow(t, path);
  appendFileSync(path, "short\n");
  assert.ok(await follower.has(1));
  follower.hold();
  writeFileSync(path, "a new and longer line\n");
  follower.release();
  assert.ok(await follower.has(2));
  assert.deepEqual(follower.lines, ["short", "a new and longer line"]);
  assert.equal(follower.notices[0]?.kind, "truncated");
});

test("followFile waits for a file that does not exist yet, in a directory that does not exist yet", async (t) => {
  const dir = join(workdir(t), "later");
  const path = join(dir, "bot.log");
  const follower = follow(t, path, { pollMs: 50 });
  assert.ok(await waitFor(() => follower.notices.length === 1));
  mkdirSync(dir);
  writeFileSync(path, "first\nsecond\n");
  assert.ok(await follower.has(2));
  assert.deepEqual(follower.lines, ["first", "second"]);
  assert.deepEqual(follower.kinds(), ["waiting", "appeared"]);
});

test("followFile reads a removed file to its end, says it is gone, and follows its successor", async (t) => {
  const path = join(workdir(t), "bot.log");
  writeFileSync(path, "");
  const follower = follow(t, path, { pollMs: 50 });
  appendFileSync(path, "before\n");
  assert.ok(await follower.has(1));
  rmSync(path);
  assert.ok(await waitFor(() => follower.kinds().includes("removed")));
  writeFileSync(path, "after\n");
  assert.ok(await follower.has(2));
  assert.deepEqual(follower.lines, ["before", "after"]);
  assert.deepEqual(follower.kinds(), ["removed", "appeared"]);
});

test("followFile cuts a huge line without newline, keeping its start, in bounded memory", async (t) => {
  const path = join(workdir(t), "bot.log");
  writeFileSync(path, "");
  const follower = follow(t, path, { maxLineBytes: 16 });
  appendFileSync(path, Buffer.concat([Buffer.from("0123456789abcdefXYZ"), Buffer.alloc(300_000, 0xff), Buffer.from("\nsmall\n")]));
  assert.ok(await follower.has(2));
  assert.deepEqual(follower.lines, ["0123456789abcdef… [300003 bytes cut]", "small"]);
});

test("followFile resolves as soon as its signal aborts, while waiting", { timeout: 10_000 }, async (t) => {
  const path = join(workdir(t), "missing.log");
  const follower = follow(t, path, { pollMs: 60_000 });
  assert.ok(await waitFor(() => follower.notices.length === 1));
  await follower.stop(); // with a one-minute poll, only the abort can end it within the test's time
  assert.deepEqual(follower.kinds(), ["waiting"]);
});

test("followFile follows real logrotate runs, create then copytruncate, and misses no line", { skip: LOGROTATE_SKIP }, async (t) => {
  const path = join(workdir(t), "bot.log");
  writeFileSync(path, "");
  const follower = follow(t, path);
  const expected: string[] = [];
  const write = (line: string): void => {
    appendFileSync(path, `${line}\n`);
    expected.push(line);
  };
  for (const mode of ["create", "copytruncate"] as const) {
    write(`${mode}: read before`);
    assert.ok(await follower.has(expected.length));
    follower.hold(); // written after the last read, just before the rotation
    write(`${mode}: unread before`);
    await rotateWithLogrotate(path, mode);
    write(`${mode}: after`);
    follower.release();
    assert.ok(await follower.has(expected.length), `${mode}: ${JSON.stringify(follower.lines)}`);
  }
  assert.deepEqual(follower.lines, expected);
  assert.deepEqual(follower.notices, [{ kind: "replaced", path }, { kind: "truncated", path, recoveredFrom: `${path}.1` }]);
});
