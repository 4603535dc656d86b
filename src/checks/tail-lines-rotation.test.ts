import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTailLines } from "./tail-lines.js";
import { LOGROTATE_SKIP, rotateWithLogrotate } from "../testing/logrotate.js";

const skip = LOGROTATE_SKIP;

let dir = "";
before(async () => void (dir = await mkdtemp(join(tmpdir(), "lifeguard-rotate-"))));
after(() => rm(dir, { recursive: true, force: true }));

const numbered = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `line ${from + i}`);
const rotate = rotateWithLogrotate;

/** Reads the tail in small chunks and has logrotate run between the first and the second read. */
async function readWhileRotating(mode: "create" | "copytruncate") {
  const path = join(dir, `${mode}.log`);
  await writeFile(path, `${numbered(0, 3000).join("\n")}\n`);
  let reads = 0;
  const tail = await readTailLines(path, 2000, {
    chunkBytes: 2048,
    beforeRead: async () => {
      reads += 1;
      if (reads === 2) await rotate(path, mode);
    },
  });
  return { path, tail };
}

test("readTailLines finishes reading the old file when logrotate renames it (create)", { skip }, async () => {
  const { path, tail } = await readWhileRotating("create");
  assert.deepEqual(tail.lines, numbered(1000, 3000));
  assert.equal(tail.shrank, false);
  assert.equal(await readFile(path, "utf8"), "");
  assert.deepEqual((await readTailLines(path, 5)).lines, []);
});

test("readTailLines returns only lines read before logrotate truncates the file (copytruncate)", { skip }, async () => {
  const { path, tail } = await readWhileRotating("copytruncate");
  assert.equal(tail.shrank, true);
  assert.ok(tail.lines.length > 0 && tail.lines.length < 2000);
  assert.deepEqual(tail.lines, numbered(3000 - tail.lines.length, 3000));
  assert.deepEqual((await readTailLines(`${path}.1`, 2)).lines, ["line 2998", "line 2999"]);
});
