import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { endProcesses } from "./end-processes.js";
import { readProcStat, type ProcStat } from "./proc-stat.js";

/** A shell that ignores SIGTERM (or not), as a process to end by pid. */
async function shell(t: { after(fn: () => void): void }, ignoreTerm: boolean): Promise<{ stat: ProcStat; exited: Promise<unknown> }> {
  const child = spawn("/bin/sh", ["-c", `${ignoreTerm ? "trap '' TERM; " : ""}echo ready; while :; do sleep 0.05; done`], { stdio: ["ignore", "pipe", "ignore"] });
  const exited = once(child, "exit");
  t.after(() => void (child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")));
  await once(child.stdout, "data");
  return { stat: readProcStat(child.pid as number) as ProcStat, exited };
}

function target(stat: ProcStat, exited: Promise<unknown>) {
  let done = false;
  void exited.then(() => (done = true));
  const sent: string[] = [];
  return {
    sent,
    signal: (name: NodeJS.Signals) => {
      sent.push(name);
      if (!done) process.kill(stat.pid, name);
    },
    remaining: () => (done ? [] : [stat]),
  };
}

const OPTIONS = { stopTimeoutMs: 300, killWaitMs: 5_000, pollMs: 20, signal: new AbortController().signal };

test("endProcesses ends with SIGTERM what obeys it", async (t) => {
  const { stat, exited } = await shell(t, false);
  const processes = target(stat, exited);
  assert.deepEqual(await endProcesses(processes, OPTIONS), { left: [], killed: false });
  assert.deepEqual(processes.sent, ["SIGTERM", "SIGCONT"]);
});

test("endProcesses escalates to SIGKILL after the stop timeout", async (t) => {
  const { stat, exited } = await shell(t, true);
  const processes = target(stat, exited);
  assert.deepEqual(await endProcesses(processes, OPTIONS), { left: [], killed: true });
  assert.deepEqual(processes.sent.slice(0, 3), ["SIGTERM", "SIGCONT", "SIGKILL"]);
});

test("endProcesses stops waiting when aborted and says what is left", async (t) => {
  const { stat, exited } = await shell(t, true);
  const processes = target(stat, exited);
  const controller = new AbortController();
  controller.abort();
  const result = await endProcesses(processes, { ...OPTIONS, signal: controller.signal });
  assert.deepEqual(result.left.map((left) => left.pid), [stat.pid]);
});
