import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openInstallRecords } from "../store/install-records.js";
import type { InstallPlan, Step } from "./plan.js";
import { sharedDirectoryProblems } from "./shared-dirs.js";

const planOf = (...steps: Step[]): InstallPlan => ({ steps, units: [], control: "root", problems: [] });
const dir = (path: string, purpose: "state" | "log", keeps: string[]): Step => ({ kind: "dir", path, owner: null, mode: 0o750, purpose, keeps });

test("install takes a directory for Lifeguard only when it is missing, its own by name or record, or holds nothing but Lifeguard's files", async (t) => {
  const root = mkdtempSync(join(tmpdir(), "lifeguard-shared-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const make = (name: string, files: string[]): string => {
    const path = join(root, name);
    mkdirSync(path, { mode: 0o755 });
    for (const file of files) writeFileSync(join(path, file), "");
    return path;
  };
  // /var/log, or the bot's own directory: other files live there.
  const bots = make("bot", ["bot.log", "bot.pid"]);
  assert.deepEqual(await sharedDirectoryProblems(planOf(dir(bots, "log", ["lifeguard.log"])), null, "/etc/lifeguard/lifeguard.yaml"), [
    `${bots}, log.file's directory, holds files that are not Lifeguard's ("bot.log", "bot.pid") and install did not make it: install would make it root's with mode 750 ` +
      "(ReadWritePaths=), taking it from whoever uses it now. Give Lifeguard a directory of its own, which install makes, in /etc/lifeguard/lifeguard.yaml: log: { file: /var/log/lifeguard/lifeguard.log }",
  ]);
  const state = make("srv", ["main.py"]);
  assert.match((await sharedDirectoryProblems(planOf(dir(state, "state", ["lifeguard.db"])), null, "x.yaml"))[0] ?? "", /, the state directory, holds files that are not Lifeguard's \("main\.py"\) .*: state: \/var\/lib\/lifeguard$/);
  // Lifeguard's own: missing, named for it, holding only its store or its log, or made by an earlier install.
  const fine = [
    dir(join(root, "missing"), "state", ["lifeguard.db"]),
    dir(make("lifeguard", ["anything"]), "log", ["lifeguard.log"]),
    dir(make("store", ["lifeguard.db", "lifeguard.db-wal", "check.flock"]), "state", ["lifeguard.db", "check.flock"]),
    dir(make("logs", ["watchdog.log", "watchdog.log.1.gz"]), "log", ["watchdog.log"]),
  ];
  assert.deepEqual(await sharedDirectoryProblems(planOf(...fine), null, "x.yaml"), []);
  const records = openInstallRecords(make("records", []));
  t.after(() => records.close());
  records.put({ kind: "dir", target: bots, sha256: null, detail: "", installedAt: 0, command: "lifeguard install" });
  assert.deepEqual(await sharedDirectoryProblems(planOf(dir(bots, "log", ["lifeguard.log"])), records, "x.yaml"), [], "install made it before");
});
