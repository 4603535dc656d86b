import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, existsSync, renameSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "./create-logger.js";
import { formatText, formatJson } from "./format.js";
import { formatLocalTime } from "../process/local-time.js";
import { LOGROTATE_SKIP, rotateWithLogrotate } from "../testing/logrotate.js";

const at = new Date(2024, 10, 30, 21, 0, 1).getTime();

test("formatText writes the seed's line format", () => {
  assert.equal(formatText({ at, tag: "OK", message: "Service gemini-trader is active" }), "[2024-11-30 21:00:01] [OK] Service gemini-trader is active");
  assert.equal(formatText({ at, tag: "INFO", message: "=== Watchdog check started ===" }), "[2024-11-30 21:00:01] === Watchdog check started ===");
  assert.equal(formatText({ at, tag: "FAIL", message: "a\nb" }), "[2024-11-30 21:00:01] [FAIL] a ⏎ b");
  assert.equal(formatText({ at, tag: "OK", service: "trader", message: "Log file is fresh (45s old)" }, true), "[2024-11-30 21:00:01] [OK] trader: Log file is fresh (45s old)");
});

test("formatJson writes one object per line with the data", () => {
  const line = formatJson({ at, tag: "RESTART", service: "trader", message: "restarted", data: { attempt: 1 } });
  assert.deepEqual(JSON.parse(line), { time: new Date(at).toISOString(), tag: "RESTART", service: "trader", message: "restarted", attempt: 1 });
  assert.equal(formatLocalTime(at), "2024-11-30 21:00:01");
});

function withDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-log-"));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("file logger rotates beyond max size and keeps `keep` files", () => {
  withDir((dir) => {
    const file = join(dir, "watchdog.log");
    const logger = createLogger({ file, format: "text", maxBytes: 200, keep: 2 });
    for (let i = 0; i < 30; i += 1) logger.write({ at, tag: "OK", message: `line ${i}` });
    assert.ok(readFileSync(file).length <= 200);
    assert.ok(existsSync(`${file}.1`) && existsSync(`${file}.2`));
    assert.ok(!existsSync(`${file}.3`));
    assert.match(readFileSync(file, "utf8"), /line 29\n$/);
  });
});

test("file logger follows logrotate's create and copytruncate", () => {
  withDir((dir) => {
    const file = join(dir, "watchdog.log");
    const logger = createLogger({ file, format: "text", maxBytes: null, keep: 1 });
    logger.write({ at, tag: "OK", message: "before" });
    renameSync(file, `${file}.1`);
    logger.write({ at, tag: "OK", message: "after create" });
    assert.match(readFileSync(file, "utf8"), /^\[.*\] \[OK\] after create\n$/);
    truncateSync(file, 0);
    logger.write({ at, tag: "OK", message: "after truncate" });
    assert.match(readFileSync(file, "utf8"), /^\[.*\] \[OK\] after truncate\n$/);
  });
});

test("an unwritable log file is reported once on stderr and never throws", () => {
  withDir((dir) => {
    const errors: string[] = [];
    // Its "directory" is a file: nothing can make the log there.
    writeFileSync(join(dir, "not-a-dir"), "");
    const file = join(dir, "not-a-dir", "watchdog.log");
    const logger = createLogger({ file, format: "text", maxBytes: null, keep: 1 }, { stdout: () => undefined, stderr: (line) => errors.push(line) });
    logger.write({ at, tag: "OK", message: "one" });
    logger.write({ at, tag: "OK", message: "two" });
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? "", /^lifeguard: Cannot write the watchdog log ".*watchdog.log": ENOTDIR/);
  });
});

test("a log file whose directory is missing gets it made, mode 0750 (/var/log/lifeguard/ before install made it)", () => {
  withDir((dir) => {
    const file = join(dir, "lifeguard", "lifeguard.log");
    const logger = createLogger({ file, format: "text", maxBytes: null, keep: 1 }, { stdout: () => undefined, stderr: (line) => assert.fail(line) });
    logger.write({ at, tag: "OK", message: "one" });
    assert.match(readFileSync(file, "utf8"), /\[OK\] one\n$/);
    assert.equal(statSync(join(dir, "lifeguard")).mode & 0o777, 0o750);
  });
});

test("the watchdog log follows real logrotate runs, create and copytruncate", { skip: LOGROTATE_SKIP }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-log-"));
  try {
    const file = join(dir, "watchdog.log");
    const logger = createLogger({ file, format: "text", maxBytes: null, keep: 1 });
    for (const mode of ["create", "copytruncate"] as const) {
      logger.write({ at, tag: "OK", message: `before ${mode}` });
      await rotateWithLogrotate(file, mode);
      logger.write({ at, tag: "OK", message: `after ${mode}` });
      assert.match(readFileSync(`${file}.1`, "utf8"), new RegExp(`before ${mode}\\n$`));
      assert.equal(readFileSync(file, "utf8"), `[2024-11-30 21:00:01] [OK] after ${mode}\n`);
      truncateSync(file, 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
