// A quick-mode Lifeguard started again over the previous run's old output: the new run is judged
// from its own start, never by that output, and a run that writes nothing is still caught.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { quickLab } from "./support/quick-daemon.js";

test("a new start never judges the previous run's output as stale, and a silent new run is stale max-age after its start", async (t) => {
  const lab = quickLab(t);
  // What the previous run left, 11 minutes ago, where this start captures the new run's output.
  const output = join(lab.root, "quick-bot", "bot.out.log");
  mkdirSync(join(lab.root, "quick-bot"), { recursive: true });
  writeFileSync(output, "Update 41\nUpdate 42\n");
  const old = new Date(Date.now() - 11 * 60_000);
  utimesSync(output, old, old);
  // The new run writes nothing at all.
  const silent = ["/bin/sh", "-c", `printf '{"pid": %s, "child": null}' $$ > ${lab.pidFile}; exec /bin/sleep 100000`];
  const daemon = lab.start(["--state", lab.root, "--name", "bot", "--max-age", "2s", "--listen", "127.0.0.1:0", "--", ...silent]);
  const stale = await daemon.waitForLog(/\[FAIL\] Log file is stale: [^\n]*\n/);
  assert.ok(stale, daemon.log());
  // The first stale line is this run's silence, measured from its start: never the 11 minutes of the previous run.
  assert.match(stale[0], /^\[FAIL\] Log file is stale: not written since the start \d+s ago \(max-age 2s; last written 11m\d*s? ago, before it\)\n$/);
  assert.doesNotMatch(daemon.log(), /last written 11m\S* ago \(max-age/);
  assert.ok(await daemon.waitForLog(/\[RESTART\] Restarting "bot" \(1 of 3 in the last 1h\): Log file is stale: not written since the start/), daemon.log());
  assert.equal(await daemon.stop(), 0);
  assert.deepEqual(lab.bot.survivors(), []);
});
