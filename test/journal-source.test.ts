// `journal:` as the log of `log-fresh` and `log-activity`, for services that log to standard
// output under systemd: real systemd and journald in a namespace sandbox, `lifeguard check` run
// inside it as cron would run it there.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { stringify } from "yaml";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { lifeguard } from "./support/lab.js";

const WAIT = { timeoutMs: 60_000, intervalMs: 200 };
const support = sandboxSupport();

describe("journal: as a log source, under real systemd and journald", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox({ journal: true });
    // Five work lines, then only "alive" lines: busy, but its work is done.
    await sandbox.writeUnit("worker.service", "[Service]\nExecStart=/bin/sh -c 'for i in 1 2 3 4 5; do echo \"Position update $i\"; done; while true; do echo alive; sleep 0.5; done'\n");
    // One line, then silence.
    await sandbox.writeUnit("quiet.service", "[Service]\nExecStart=/bin/sh -c 'echo started; exec sleep 100000'\n");
    await sandbox.daemonReload();
    for (const unit of ["worker.service", "quiet.service"]) {
      const started = await sandbox.exec(["systemctl", "start", unit]);
      assert.ok(started.ok, started.stderr);
    }
  });
  after(async () => {
    await sandbox?.stop();
  });

  const entries = async (unit: string): Promise<string> => (await sandbox.exec(["journalctl", "--unit", unit, "--no-pager", "-o", "cat"])).stdout;
  const writeConfig = (name: string, service: Record<string, unknown>): string => {
    const file = join(sandbox.workdir, `${name}.yaml`);
    writeFileSync(file, stringify({ state: join(sandbox.workdir, `state-${name}`), services: { [name]: service } }));
    return file;
  };

  test("log-fresh on the journal of a unit that went quiet fails, with the entry's age", async () => {
    assert.ok(await waitFor(async () => (await entries("quiet.service")).includes("started"), WAIT), "the unit logged its line");
    const config = writeConfig("quiet", { systemd: "quiet", checks: [{ "log-fresh": { journal: "quiet", "max-age": "1s", "alert-only": true } }] });
    let last = { exitCode: null as number | null, stdout: "" };
    assert.ok(await waitFor(async () => {
      last = await lifeguard(sandbox, ["check", "-c", config]);
      return last.exitCode === 2;
    }, WAIT), last.stdout);
    assert.match(last.stdout, /Journal of "quiet\.service" is stale: last entry \S+ ago \(max-age 1s\)/);
  });

  test("log-fresh and log-activity on the journal of a unit that logs pass", async () => {
    assert.ok(await waitFor(async () => (await entries("worker.service")).includes("alive"), WAIT), "the unit logs");
    const config = writeConfig("worker", { systemd: "worker", checks: [{ "log-fresh": { journal: "worker", "max-age": "30s" } }, { "log-activity": { journal: "worker", match: "Position" } }] });
    const result = await lifeguard(sandbox, ["check", "-c", config]);
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /Journal of "worker\.service" is fresh/);
    // Its last 100 entries still hold the five work lines (two "alive" lines a second).
    assert.match(result.stdout, /Process appears responsive \(5 recent entries\)/);
  });

  test("log-activity within keeps its cursor in the store: the second check reads only the new entries", async () => {
    const config = writeConfig("cursor", { systemd: "worker", checks: [{ "log-activity": { journal: "worker", match: "Position", within: "1h" } }] });
    const first = await lifeguard(sandbox, ["check", "-c", config]);
    assert.equal(first.exitCode, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /Process appears responsive \(5 matching entries in the last 1h/);
    const cursorAfter = (): string => {
      const db = new Database(join(sandbox.workdir, "state-cursor", "lifeguard.db"), { readonly: true });
      try {
        const row = db.prepare("SELECT value FROM check_memory WHERE service = 'cursor'").get() as { value: string };
        return (JSON.parse(row.value) as { cursor: string }).cursor;
      } finally {
        db.close();
      }
    };
    const firstCursor = cursorAfter();
    const alive = async (): Promise<number> => (await entries("worker.service")).split("\n").filter((line) => line === "alive").length;
    const aliveBefore = await alive();
    assert.ok(await waitFor(async () => (await alive()) > aliveBefore, WAIT), "the unit logged more");
    // More "alive" entries since: the second run reads them from the cursor on, so the five work lines are not counted twice.
    const second = await lifeguard(sandbox, ["check", "-c", config]);
    assert.equal(second.exitCode, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /Process appears responsive \(5 matching entries in the last 1h/);
    assert.notEqual(cursorAfter(), firstCursor, "the cursor moved on");
  });
});
