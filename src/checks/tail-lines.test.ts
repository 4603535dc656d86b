import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { appendFile, mkdir, mkdtemp, open, readFile, rename, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTailLines, TAIL_MAX_LINE_BYTES, TAIL_MAX_SCAN_BYTES } from "./tail-lines.js";

const MiB = 1024 * 1024;
let dir = "";
let fileCount = 0;
before(async () => void (dir = await mkdtemp(join(tmpdir(), "lifeguard-tail-"))));
after(() => rm(dir, { recursive: true, force: true }));

async function writeLog(content: string | Buffer): Promise<string> {
  fileCount += 1;
  const path = join(dir, `log-${fileCount}.log`);
  await writeFile(path, content);
  return path;
}

/** A line as the reader shows one longer than `maxBytes` (ASCII only: no character to keep whole). */
const cutAs = (line: string, maxBytes: number): string => (line.length <= maxBytes ? line : `${line.slice(0, maxBytes)}… [${line.length - maxBytes} bytes cut]`);

const numbered = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `line ${from + i}`);

/** What `tail -n` gives, computed the obvious way, to compare the backwards reader against. */
function naiveTail(content: Buffer, count: number): string[] {
  if (content.length === 0 || count === 0) return [];
  const lines = content.toString("utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.slice(-count).map((line) => line.replace(/\r$/, ""));
}

test("readTailLines returns the last lines oldest first", async () => {
  const path = await writeLog(`${numbered(0, 1000).join("\n")}\n`);
  const tail = await readTailLines(path, 100);
  assert.deepEqual(tail.lines, numbered(900, 1000));
  assert.equal(tail.scanCutShort, false);
  assert.equal(tail.shrank, false);
  assert.equal(tail.linesCut, 0);
});

test("readTailLines returns every line of a file shorter than asked", async () => {
  const path = await writeLog("a\nb\nc\n");
  assert.deepEqual((await readTailLines(path, 100)).lines, ["a", "b", "c"]);
});

test("readTailLines returns no line for an empty file", async () => {
  const tail = await readTailLines(await writeLog(""), 100);
  assert.deepEqual(tail.lines, []);
  assert.equal(tail.bytesScanned, 0);
});

test("readTailLines counts a last line without final newline", async () => {
  assert.deepEqual((await readTailLines(await writeLog("a\nb\npartial"), 2)).lines, ["b", "partial"]);
  assert.deepEqual((await readTailLines(await writeLog("only"), 5)).lines, ["only"]);
});

test("readTailLines keeps empty lines as tail -n does", async () => {
  assert.deepEqual((await readTailLines(await writeLog("a\n\n"), 5)).lines, ["a", ""]);
  assert.deepEqual((await readTailLines(await writeLog("\n"), 5)).lines, [""]);
  assert.deepEqual((await readTailLines(await writeLog("\nb"), 5)).lines, ["", "b"]);
});

test("readTailLines strips CRLF endings", async () => {
  assert.deepEqual((await readTailLines(await writeLog("a\r\nb\r\nc\r\n"), 2)).lines, ["b", "c"]);
});

test("readTailLines decodes invalid UTF-8 with replacement characters", async () => {
  const path = await writeLog(Buffer.concat([Buffer.from("ok\nbad "), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(" end\nlast\n")]));
  assert.deepEqual((await readTailLines(path, 3)).lines, ["ok", "bad \ufffd\ufffd\ufffd end", "last"]);
});

test("readTailLines matches tail -n whatever the chunk size", async () => {
  const pieces = ["a", "", "héllo wörld", "€uro", "🙂 emoji", "crlf\r", "x".repeat(40), "\r", "end"];
  for (let seed = 1; seed <= 40; seed += 1) {
    const lines = Array.from({ length: seed % 13 }, (_, i) => pieces[(i * seed) % pieces.length] as string);
    const content = Buffer.from(lines.join("\n") + (seed % 3 === 0 ? "" : "\n"));
    const path = await writeLog(content);
    for (const chunkBytes of [1, 2, 3, 5, 8, 64]) {
      for (const count of [0, 1, 3, 20]) {
        const tail = await readTailLines(path, count, { chunkBytes });
        assert.deepEqual(tail.lines, naiveTail(content, count), `seed ${seed}, chunk ${chunkBytes}, count ${count}`);
      }
    }
  }
});

test("readTailLines reads correctly with buffers an earlier read filled, at every size", async () => {
  // The reads share their buffers: each must see only its own file's bytes, whatever came before.
  const long = await writeLog(`${"x".repeat(200 * 1024)}\n${numbered(0, 50).join("\n")}\n`);
  const short = await writeLog("a\nb\n");
  const reads: Array<[string, number, { chunkBytes?: number; maxLineBytes?: number }]> = [
    [long, 60, {}],
    [short, 5, {}],
    [long, 51, { chunkBytes: 3, maxLineBytes: 10 }],
    [short, 5, { chunkBytes: 1 }],
    [long, 60, { chunkBytes: 256 * 1024, maxLineBytes: 128 * 1024 }],
    [short, 1, {}],
    [long, 3, { chunkBytes: 7 }],
  ];
  for (const [path, count, options] of reads) {
    const expected = naiveTail(await readFile(path), count).map((line) => cutAs(line, options.maxLineBytes ?? TAIL_MAX_LINE_BYTES));
    assert.deepEqual((await readTailLines(path, count, options)).lines, expected, `${path === long ? "long" : "short"} file, ${count} lines, ${JSON.stringify(options)}`);
  }
});

test("readTailLines reads correctly when reads overlap", async () => {
  const paths = await Promise.all([0, 1, 2, 3, 4].map((n) => writeLog(`${numbered(n * 100, n * 100 + 100).join("\n")}\n`)));
  const tails = await Promise.all(paths.map((path) => readTailLines(path, 10, { chunkBytes: 16 })));
  assert.deepEqual(tails.map((tail) => tail.lines), [0, 1, 2, 3, 4].map((n) => numbered(n * 100 + 90, n * 100 + 100)));
});

test("readTailLines keeps the start of a line longer than the cap and says how much was cut", async () => {
  const huge = `START${"x".repeat(20 * MiB)}END`;
  const path = await writeLog(`first\n${huge}\na\nb\nc\n`);
  const tail = await readTailLines(path, 10);
  assert.equal(tail.lines.length, 5);
  const [first, cut, ...rest] = tail.lines;
  assert.equal(first, "first");
  assert.deepEqual(rest, ["a", "b", "c"]);
  assert.ok(cut?.startsWith(`START${"x".repeat(100)}`));
  assert.ok(cut?.endsWith(`… [${Buffer.byteLength(huge) - TAIL_MAX_LINE_BYTES} bytes cut]`), cut?.slice(-60));
  assert.ok(Buffer.byteLength(cut ?? "") < TAIL_MAX_LINE_BYTES + 64);
  assert.equal(tail.linesCut, 1);
});

test("readTailLines never cuts a line inside a UTF-8 character", async () => {
  const path = await writeLog(`${"é".repeat(20)}\n`);
  const [line] = (await readTailLines(path, 1, { maxLineBytes: 7, chunkBytes: 3 })).lines;
  assert.equal(line, "ééé… [34 bytes cut]");
});

test("readTailLines reads a 100 MiB line without newline in bounded memory", async () => {
  const path = await writeLog("HEAD");
  await truncate(path, 100 * MiB);
  await appendFile(path, "TAIL");
  const arrayBuffersBefore = process.memoryUsage().arrayBuffers;
  const tail = await readTailLines(path, 100);
  const grown = process.memoryUsage().arrayBuffers - arrayBuffersBefore;
  assert.equal(tail.lines.length, 1);
  assert.ok(Buffer.byteLength(tail.lines[0] ?? "") < TAIL_MAX_LINE_BYTES + 64);
  assert.equal(tail.bytesScanned, TAIL_MAX_SCAN_BYTES);
  assert.equal(tail.scanCutShort, true);
  assert.ok(grown < 8 * MiB, `array buffers grew by ${grown} bytes`);
});

test("readTailLines reads only the end of a 1 GiB file", async () => {
  const path = await writeLog("");
  await truncate(path, 1024 * MiB);
  await appendFile(path, `\n${numbered(0, 200).join("\n")}\n`);
  const tail = await readTailLines(path, 100);
  assert.deepEqual(tail.lines, numbered(100, 200));
  assert.ok(tail.bytesScanned <= 64 * 1024, `scanned ${tail.bytesScanned} bytes`);
});

test("readTailLines stops at the scan limit and reports it", async () => {
  const path = await writeLog(`${numbered(0, 1000).join("\n")}\n`);
  // 11 lines of 9 bytes, then the last 3 bytes of "line 988\n".
  const tail = await readTailLines(path, 1000, { maxScanBytes: 102, chunkBytes: 16 });
  assert.equal(tail.bytesScanned, 102);
  assert.equal(tail.scanCutShort, true);
  assert.deepEqual(tail.lines, ["88", ...numbered(989, 1000)]);
});

test("readTailLines returns only consistent lines when the file is truncated mid-read", async () => {
  const path = await writeLog(`${numbered(0, 5000).join("\n")}\n`);
  let reads = 0;
  const tail = await readTailLines(path, 5000, {
    chunkBytes: 4096,
    beforeRead: async () => {
      reads += 1;
      if (reads === 2) await truncate(path, 0);
    },
  });
  assert.equal(tail.shrank, true);
  assert.ok(tail.lines.length > 0 && tail.lines.length < 5000);
  assert.deepEqual(tail.lines, numbered(5000 - tail.lines.length, 5000));
});

test("readTailLines returns nothing when the file is truncated right after open", async () => {
  const path = await writeLog(`${numbered(0, 10).join("\n")}\n`);
  const tail = await readTailLines(path, 5, { beforeRead: () => truncate(path, 0) });
  assert.deepEqual(tail.lines, []);
  assert.equal(tail.shrank, true);
});

test("readTailLines reads the file it opened when it is rotated mid-read", async () => {
  const path = await writeLog(`${numbered(0, 2000).join("\n")}\n`);
  let reads = 0;
  const tail = await readTailLines(path, 1500, {
    chunkBytes: 1024,
    beforeRead: async () => {
      reads += 1;
      if (reads !== 2) return;
      await rename(path, `${path}.1`);
      await writeFile(path, "new file\n");
    },
  });
  assert.deepEqual(tail.lines, numbered(500, 2000));
  assert.equal(tail.shrank, false);
  assert.deepEqual((await readTailLines(path, 5)).lines, ["new file"]);
});

test("readTailLines ignores what is appended after it opened the file", async () => {
  const path = await writeLog("a\nb\n");
  const handle = await open(path, "a");
  try {
    const tail = await readTailLines(path, 5, { beforeRead: () => handle.write("c\n").then(() => undefined) });
    assert.deepEqual(tail.lines, ["a", "b"]);
  } finally {
    await handle.close();
  }
});

test("readTailLines rejects with the fs error for a missing file or a directory", async () => {
  await assert.rejects(readTailLines(join(dir, "missing.log"), 5), { code: "ENOENT" });
  const sub = join(dir, "a-directory");
  await mkdir(sub);
  await assert.rejects(readTailLines(sub, 5), { code: "EISDIR" });
});

test("readTailLines stops when its signal aborts", async () => {
  const path = await writeLog(`${numbered(0, 100).join("\n")}\n`);
  const controller = new AbortController();
  const reading = readTailLines(path, 100, { chunkBytes: 16, signal: controller.signal, beforeRead: () => controller.abort(new Error("enough")) });
  await assert.rejects(reading, { message: "enough" });
});

test("stopAt ends the scan at the first line it chooses, newest first, and keeps that line", async () => {
  const path = await writeLog(`${numbered(0, 50).join("\n")}\n`);
  const read = await readTailLines(path, 100, { stopAt: (line) => line === "line 40", chunkBytes: 16 });
  assert.deepEqual(read.lines, numbered(40, 50));
  assert.equal(read.stopped, true);
  const never = await readTailLines(path, 100, { stopAt: () => false });
  assert.equal(never.stopped, false);
  assert.equal(never.lines.length, 50);
});

test("startAt reads no further back than an offset, as if the file began there", async () => {
  const first = `${numbered(0, 10).join("\n")}\n`;
  const path = await writeLog(`${first}${numbered(10, 13).join("\n")}\n`);
  const read = await readTailLines(path, 100, { startAt: Buffer.byteLength(first), chunkBytes: 8 });
  assert.deepEqual(read.lines, numbered(10, 13));
  assert.equal(read.scanCutShort, false);
  const nothingNew = await readTailLines(path, 100, { startAt: read.size });
  assert.deepEqual(nothingNew.lines, []);
  // An offset past the end (the file was truncated since) reads nothing: the caller starts again at 0.
  assert.deepEqual((await readTailLines(path, 100, { startAt: read.size + 100 })).lines, []);
});
