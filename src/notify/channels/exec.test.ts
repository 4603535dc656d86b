import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { systemClock } from "../../process/system-clock.js";
import { isProcessAlive, readProcStat } from "../../process/proc-stat.js";
import { sampleAlert } from "../../testing/alerts.js";
import { PYTHON } from "../../testing/bots.js";
import { startExecReceiver, type ExecReceiver } from "../../testing/exec-receiver.js";
import { waitFor } from "../../testing/wait-for.js";
import { createChannel } from "../registry.js";
import { execInput } from "./exec-input.js";
import { renderText } from "../render-text.js";
import { createExecSender, isPermanentExit } from "./exec.js";

const deps = { clock: systemClock };
const never = new AbortController().signal;
const PROGRAM = `"${PYTHON}"`;

function receiver(t: TestContext): ExecReceiver {
  const started = startExecReceiver();
  t.after(() => started.close());
  return started;
}

/** Sets variables in Lifeguard's own environment for one test. */
function withEnv(t: TestContext, variables: Record<string, string>): void {
  const before = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  t.after(() => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

test("the program gets the alert in its environment and as JSON on stdin, without Lifeguard's secrets", async (t) => {
  const program = receiver(t);
  withEnv(t, { LIFEGUARD_TOKEN: "t0ken-of-lifeguard", DEADMAN_URL: "https://hc.example/ping/k3y", NOTIFY_SOCKET: "/run/notify", LIFEGUARD_PING_URL: "http://x/ping", LIFEGUARD_TEST_INHERITED: "yes" });
  const alert = sampleAlert();
  const config = program.config({ env: { PAGER_KEY: "pager-k3y", LIFEGUARD_ALERT_KIND: "spoofed" } });
  const finding = await createExecSender(config, deps)([alert], never);
  assert.deepEqual(finding, { ok: true, summary: `Sent 1 alert through ${PROGRAM}`, evidence: { program: PYTHON, exitCode: 0, signal: null } });
  const [run, ...more] = program.received;
  assert.equal(more.length, 0);
  const alertVariables = Object.fromEntries(Object.entries(run?.env ?? {}).filter(([name]) => name.startsWith("LIFEGUARD_ALERT_")));
  assert.deepEqual(alertVariables, {
    LIFEGUARD_ALERT_KIND: "restarted",
    LIFEGUARD_ALERT_SEVERITY: "warning",
    LIFEGUARD_ALERT_SERVICE: "trader",
    LIFEGUARD_ALERT_HOST: "testhost",
    LIFEGUARD_ALERT_AT: "2026-11-28T03:00:01.000Z",
    LIFEGUARD_ALERT_TITLE: 'Restarted "trader" on testhost',
    LIFEGUARD_ALERT_MESSAGE: alert.message,
    LIFEGUARD_ALERT_ID: "lifeguard-testhost-1",
    LIFEGUARD_ALERT_INCIDENT: "trader@1795748049000",
    LIFEGUARD_ALERT_COUNT: "1",
    LIFEGUARD_ALERT_TEXT: renderText([alert]).body,
  });
  assert.equal(run?.env.PAGER_KEY, "pager-k3y");
  assert.equal(run?.env.LIFEGUARD_TEST_INHERITED, "yes");
  for (const name of ["LIFEGUARD_TOKEN", "DEADMAN_URL", "NOTIFY_SOCKET", "LIFEGUARD_PING_URL"]) assert.equal(run?.env[name], undefined, name);
  assert.deepEqual(run?.stdin, JSON.parse(JSON.stringify(execInput([alert]))));
  assert.deepEqual((run?.stdin as { version: number }).version, 1);
});

test("Lifeguard's own alert has an empty service", async (t) => {
  const program = receiver(t);
  const own = sampleAlert({ kind: "lifeguard-stopped", severity: "info", service: null, incident: null, evidence: [], details: [] });
  assert.equal((await createExecSender(program.config(), deps)([own], never)).ok, true);
  assert.equal(program.received[0]?.env.LIFEGUARD_ALERT_SERVICE, "");
  assert.equal(program.received[0]?.env.LIFEGUARD_ALERT_INCIDENT, "");
});

test("a digest is one run: the environment describes the digest, stdin holds every alert oldest first", async (t) => {
  const program = receiver(t);
  const digest = [
    sampleAlert({ id: "a", at: 1_000 }),
    sampleAlert({ id: "b", kind: "gave-up", severity: "critical", at: 2_000 }),
    sampleAlert({ id: "c", kind: "recovered", severity: "resolved", at: 3_000 }),
  ];
  const finding = await createExecSender(program.config(), deps)(digest, never);
  assert.deepEqual([finding.ok, finding.summary], [true, `Sent 3 alerts through ${PROGRAM}`]);
  const [run, ...more] = program.received;
  assert.equal(more.length, 0);
  assert.equal(run?.env.LIFEGUARD_ALERT_KIND, "digest");
  assert.equal(run?.env.LIFEGUARD_ALERT_SEVERITY, "critical");
  assert.equal(run?.env.LIFEGUARD_ALERT_COUNT, "3");
  assert.equal(run?.env.LIFEGUARD_ALERT_TITLE, renderText(digest).title);
  assert.equal(run?.env.LIFEGUARD_ALERT_ID, "a\nb\nc");
  assert.equal(run?.env.LIFEGUARD_ALERT_AT, new Date(3_000).toISOString());
  assert.deepEqual((run?.stdin as { alerts: Array<{ id: string }> }).alerts.map((alert) => alert.id), ["a", "b", "c"]);
});

test("a nonzero exit is worth a retry, with the last line the program wrote to stderr", async (t) => {
  const program = receiver(t);
  const send = createExecSender(program.config(), deps);
  program.behave("fail");
  const failed = await send([sampleAlert()], never);
  assert.deepEqual(failed, {
    ok: false,
    summary: `Cannot send through ${PROGRAM} as it exited with code 1: pager answered 503, try later`,
    evidence: { program: PYTHON, exitCode: 1, signal: null },
    cause: "pager answered 503, try later",
  });
  program.behave("tempfail");
  const deferred = await send([sampleAlert()], never);
  assert.deepEqual([deferred.ok, deferred.permanent, deferred.summary], [false, undefined, `Cannot send through ${PROGRAM} as it exited with code 75`]);
});

test("an exit code that says 'do not retry' is permanent", async (t) => {
  const program = receiver(t);
  program.behave("permanent");
  const finding = await createExecSender(program.config(), deps)([sampleAlert()], never);
  assert.deepEqual([finding.ok, finding.permanent, finding.summary], [false, true, `Cannot send through ${PROGRAM} as it exited with code 65: unknown recipient`]);
});

test("exit codes: sysexits but EX_TEMPFAIL, and a shell's 126 and 127, are permanent", () => {
  assert.deepEqual([1, 2, 63, 64, 65, 75, 78, 79, 125, 126, 127, 128, 255].map(isPermanentExit), [false, false, false, true, true, false, true, false, false, true, true, false, false]);
});

test("a program that does not exist or cannot be executed is permanent", async (t) => {
  const program = receiver(t);
  const missing = program.missingConfig();
  const notFound = await createExecSender(missing, deps)([sampleAlert()], never);
  assert.deepEqual([notFound.ok, notFound.permanent, notFound.summary], [false, true, `Cannot run alert program "${missing.command[0] ?? ""}" as it was not found`]);
  const script = join(program.dir, "not-executable.sh");
  writeFileSync(script, "#!/bin/sh\nexit 0\n");
  chmodSync(script, 0o644);
  const denied = await createExecSender(program.config({ command: [script] }), deps)([sampleAlert()], never);
  assert.deepEqual([denied.ok, denied.permanent, denied.summary], [false, true, `Cannot run alert program "${script}" as it is not executable`]);
});

/** The pids of a `hang` run and their start times, once it ignores SIGTERM and has its child. */
async function hungRun(program: ExecReceiver) {
  assert.equal(await waitFor(() => program.pids() !== null), true, "the program started its child");
  const pids = program.pids() as { pid: number; child: number };
  return [pids.pid, pids.child].map((pid) => ({ pid, startTime: readProcStat(pid)?.startTime ?? null }));
}

async function assertAllGone(processes: Array<{ pid: number; startTime: number | null }>): Promise<void> {
  for (const { pid, startTime } of processes) {
    assert.notEqual(startTime, null, `process ${pid} was running`);
    assert.equal(await waitFor(() => !isProcessAlive(pid, startTime)), true, `process ${pid} is gone`);
  }
}

test("a program that ignores SIGTERM is killed with its child at the timeout", async (t) => {
  const program = receiver(t);
  program.behave("hang");
  const pending = createExecSender(program.config({ timeoutMs: 2000 }), deps)([sampleAlert()], never);
  const processes = await hungRun(program);
  const finding = await pending;
  assert.deepEqual([finding.ok, finding.permanent, finding.summary], [false, undefined, `Cannot send through ${PROGRAM} as it did not finish within 2s (timed out)`]);
  assert.equal(finding.evidence.signal, "SIGKILL");
  await assertAllGone(processes);
});

test("aborting the signal (the channel's timeout, a shutdown) kills the program's group", async (t) => {
  const program = receiver(t);
  program.behave("hang");
  const controller = new AbortController();
  const pending = createExecSender(program.config(), deps)([sampleAlert()], controller.signal);
  const processes = await hungRun(program);
  controller.abort();
  const finding = await pending;
  assert.deepEqual([finding.ok, finding.summary], [false, `Stopped alert program ${PROGRAM} as the attempt was cancelled`]);
  await assertAllGone(processes);
});

test("the channel hides the config's env values from its results", async (t) => {
  const program = receiver(t);
  const script = join(program.dir, "echo-key.sh");
  writeFileSync(script, '#!/bin/sh\necho "pager rejected key $PAGER_KEY" >&2\nexit 1\n');
  chmodSync(script, 0o755);
  const delivery = await createChannel(program.config({ command: [script], env: { PAGER_KEY: "pager-k3y-secret" } }), deps).send([sampleAlert()], never);
  assert.equal(delivery.summary, `Cannot send through "${script}" as it exited with code 1: pager rejected key [secret]`);
});
