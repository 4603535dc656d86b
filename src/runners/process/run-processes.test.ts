import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { tableAge } from "../../process/list-processes.js";
import { logBotArgv, readBotPids } from "../../testing/bots.js";
import { processLab } from "../../testing/process-lab.js";
import { waitFor } from "../../testing/wait-for.js";

const forever = (): AbortSignal => new AbortController().signal;

test("a run's processes: its bot, its child and a helper that escaped its tree are listed from the first look, then followed from their tree without reading the whole table", async (t) => {
  const lab = processLab();
  t.after(() => lab.close());
  const pidFile = join(lab.dir, "bot.pid");
  // An orphan from its start (fork, setsid, fork): outside the bot's tree, re-parented to PID 1 (this process is no subreaper).
  const runner = lab.runner({ command: logBotArgv(join(lab.dir, "bot.log"), { everyMs: 100, child: true, orphans: 1 }), env: { LOG_BOT_PID_FILE: pidFile } });
  assert.equal((await runner.start(20_000, forever())).ok, true);
  const pids = await readBotPids(pidFile);
  const orphan = pids.orphans?.[0] as number;
  const expected = [pids.pid, pids.child as number, orphan].sort((a, b) => a - b);
  const listedPids = async (): Promise<number[]> => {
    const listed = await runner.processes(forever());
    return listed.processes.map((process) => process.pid).sort((a, b) => a - b);
  };
  assert.deepEqual(await listedPids(), expected, "the first look reads the whole table: the orphan is found by the run's token");
  const age = tableAge();
  // Past the moment one listing serves every check of a round.
  await delay(300);
  assert.deepEqual(await listedPids(), expected, "the next look follows the members found, the orphan included");
  assert.ok(tableAge() >= age, "and reads no whole table for it");
  process.kill(orphan, "SIGKILL");
  assert.ok(await waitFor(async () => !(await listedPids()).includes(orphan)), "an orphan that ended is no longer listed");
  assert.deepEqual(await listedPids(), [pids.pid, pids.child as number].sort((a, b) => a - b));
});
