import { test } from "node:test";
import assert from "node:assert/strict";
import { judgeWatch, type WatchRecord } from "../watch.js";
import { fail, ok } from "./finding.js";
import { judgeClockWithoutSystemd, judgeRunWatcher, judgeUnitWithoutSystemd } from "./judge-no-systemd.js";

const context = { root: true, run: "lifeguard run -c /etc/lifeguard/lifeguard.yaml", reload: "lifeguard reload -c /etc/lifeguard/lifeguard.yaml" };
const NOW = 1_000_000;
const daemon = (service: string, parts: Partial<WatchRecord> = {}): WatchRecord => ({
  service, mode: "daemon", pid: 1, startTime: 5, bootId: "b", host: "box", since: NOW - 60_000, beatAt: NOW - 1000, previousBeatAt: null, stoppedAt: null, stopReason: null, url: null, ...parts,
});
const watch = (service: string, record: WatchRecord | null, alive = true) => ({ service, watch: judgeWatch(record, { alive, supervised: true }, NOW) });

test("without systemd, a running lifeguard run that watches every service is the watcher", () => {
  assert.deepEqual(judgeRunWatcher([watch("bot", daemon("bot")), watch("web", daemon("web"))], context),
    ok("watcher", 'lifeguard run (PID 1) watches "bot", "web": there is no systemd on this box (no /run/systemd/system), and none is needed'));
});

test("without systemd and with no lifeguard run, the fix is lifeguard run as the entrypoint, never lifeguard install", () => {
  const expected = (why: string | null) => fail("watcher", `nothing runs Lifeguard: there is no systemd on this box (no /run/systemd/system), so \`lifeguard install\` cannot, and no lifeguard run for this configuration runs${why === null ? "" : ` (${why})`}. ` +
    "Make the command below the container's entrypoint (docs/containers.md), or run it", context.run);
  assert.deepEqual(judgeRunWatcher([watch("bot", null)], context), expected(null));
  // The store names a daemon that stopped, or one that is gone: neither watches.
  assert.deepEqual(judgeRunWatcher([watch("bot", daemon("bot", { stoppedAt: NOW - 500, stopReason: "SIGTERM" }))], context), expected("Lifeguard (PID 1) stopped on SIGTERM"));
  assert.deepEqual(judgeRunWatcher([watch("bot", daemon("bot"), false)], context), expected("Lifeguard (PID 1) is gone without stopping (killed, or the machine restarted)"));
  // A `lifeguard check` run is no watcher here: it cannot run a command: service.
  assert.equal(judgeRunWatcher([watch("bot", daemon("bot", { mode: "check", beatAt: NOW - 1000 }))], context).level, "fail");
  // No configuration: nothing known to watch.
  assert.equal(judgeRunWatcher([], context).fix, context.run);
  assert.match(judgeRunWatcher([watch("bot", null)], context, "cannot read the store in /var/lib/lifeguard: file is not a database").message,
    /runs \(cannot read the store in \/var\/lib\/lifeguard: file is not a database\)\. /);
});

test("without systemd, a lifeguard run that lacks a service is told to reload; one that is stuck fails", () => {
  assert.deepEqual(judgeRunWatcher([watch("bot", daemon("bot")), watch("web", null)], context),
    fail("watcher", 'lifeguard run (PID 1) runs but does not watch "web": it was added to this configuration after lifeguard run read it (or it runs another file on the same state)', context.reload));
  const stuck = judgeRunWatcher([watch("bot", daemon("bot", { beatAt: NOW - 10 * 60_000 }))], context);
  assert.equal(stuck.level, "fail");
  assert.match(stuck.message, /^lifeguard run \(PID 1\) runs but has made no round since its last sign of life/);
});

test("without systemd, a systemd: service fails with the edit that gives it a command:, and the clock is the host's", () => {
  assert.deepEqual(judgeUnitWithoutSystemd("trader", "trader.service", "editor /etc/lifeguard/lifeguard.yaml && lifeguard validate"),
    fail("unit", 'trader.service of "trader" cannot run here: there is no systemd on this box (no /run/systemd/system). Give "trader" a command: instead of systemd:, ' +
      "which lifeguard run starts and watches itself (docs/containers.md)", "editor /etc/lifeguard/lifeguard.yaml && lifeguard validate"));
  const clock = judgeClockWithoutSystemd();
  assert.equal(clock.level, "ok");
  assert.equal(clock.fix, undefined);
});
