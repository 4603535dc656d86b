// Lifeguard as a container's entrypoint: PID 1 of a PID namespace of its own (what Docker makes),
// started as `unshare --pid --fork --mount-proc node bin/lifeguard.js run -c FILE` and watched
// from the host, as `docker stop` and `docker kill` reach it. Without tini: it reaps the orphans
// the kernel re-parents to it, stops its services on SIGTERM and SIGINT, reloads on SIGHUP.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { stringify } from "yaml";
import { validateConfig } from "../src/config/validate.js";
import { runCommand } from "../src/process/run-command.js";
import { logBotArgv, type BotPids, type LogBotOptions } from "../src/testing/bots.js";
import { waitFor } from "../src/testing/wait-for.js";
import { daemonConfig, daemonFiles, statusUrl } from "./support/daemon.js";
import { BIN, REPO } from "./support/lab.js";
import { catches, caughtSignals, startNamespaceInit, type NamespaceEnd, type NamespaceInit } from "./support/pid-namespace.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 50 };
const EXAMPLE = join(REPO, "examples", "container");
const root = process.getuid?.() === 0;
const skip = process.platform !== "linux" ? "PID namespaces are Linux's" : root ? false : "unshare --pid needs root; CI runs as root";

/** A Lifeguard started as PID 1 of its own PID namespace, with its files. */
interface InitLifeguard {
  ns: NamespaceInit;
  configFile: string;
  log(): string;
  count(pattern: RegExp): number;
  writeConfig(config: Record<string, unknown>): void;
}

/**
 * A test's files (a temp dir: store, watchdog log, config) and the Lifeguards it starts on them
 * as PID 1 of a namespace. After the test, whatever happened: every namespace destroyed (by pid),
 * then the directory removed.
 */
function initLab(t: { after(fn: () => Promise<void>): void }, prefix: string) {
  const files = daemonFiles(prefix);
  const started: NamespaceInit[] = [];
  t.after(async () => {
    await Promise.all(started.map((ns) => ns.destroy()));
    rmSync(files.dir, { recursive: true, force: true });
  });
  const configFile = join(files.dir, "lifeguard.yaml");
  const writeConfig = (next: Record<string, unknown>): void => writeFileSync(configFile, stringify(next));
  const log = (): string => (existsSync(files.watchdogLog) ? readFileSync(files.watchdogLog, "utf8") : "");
  /** Writes the config and runs `lifeguard run -c` on it as PID 1 of a new PID namespace; `bin`: another copy of the launcher. */
  const start = async (config: Record<string, unknown>, bin = BIN): Promise<InitLifeguard> => {
    writeConfig(config);
    const ns = await startNamespaceInit([process.execPath, bin, "run", "-c", configFile], { cwd: REPO });
    started.push(ns);
    return { ns, configFile, log, writeConfig, count: (pattern) => log().match(new RegExp(pattern.source, "g"))?.length ?? 0 };
  };
  /** The log bot's files: the log its checks read, and its pid file. */
  const bot = { log: join(files.dir, "bot.log"), pidFile: join(files.dir, "bot.pid") };
  return {
    files,
    bot,
    start,
    /** `start` with one service, "bot": the log bot with `options`, and `service`'s settings. */
    startBot: (options: LogBotOptions, service: Record<string, unknown>, bin = BIN): Promise<InitLifeguard> =>
      start(daemonConfig(files, { services: { bot: { command: logBotArgv(bot.log, { ...options, pidFile: bot.pidFile }), ...service } } }), bin),
  };
}

/** The bot's pids as its namespace numbers them, once its pid file names a running bot other than `previous`. */
async function botPids(lifeguard: InitLifeguard, pidFile: string, previous?: number): Promise<BotPids> {
  const read: { pids: BotPids | null } = { pids: null };
  const ready = await waitFor(() => {
    const pids = existsSync(pidFile) ? (JSON.parse(readFileSync(pidFile, "utf8")) as BotPids) : null;
    read.pids = pids !== null && pids.pid !== previous && lifeguard.ns.find(pids.pid) !== null ? pids : null;
    return read.pids !== null;
  }, WAIT);
  assert.ok(ready && read.pids !== null, `no bot in the namespace:\n${lifeguard.log()}`);
  return read.pids;
}

/** The namespace's zombies: what nobody reaped. */
function zombies(ns: NamespaceInit): string[] {
  return ns.processes().filter((entry) => entry.stat.state === "Z").map((entry) => `PID ${entry.inside} (host ${entry.stat.pid}, parent ${entry.stat.ppid})`);
}

/** How Lifeguard ended, once it did; the namespace is empty then. */
async function exitOf(lifeguard: InitLifeguard): Promise<NamespaceEnd> {
  const end = await Promise.race([lifeguard.ns.exited, delay(WAIT.timeoutMs, null, { ref: false })]);
  assert.ok(end !== null, `Lifeguard did not exit:\n${lifeguard.log()}`);
  assert.deepEqual(lifeguard.ns.processes(), [], "the namespace is empty");
  return end;
}

interface DoctorRun {
  code: number | null;
  text: string;
  findings: Array<{ level: string; topic: string; message: string; fix?: string }>;
}

/**
 * `lifeguard doctor --json -c FILE` inside the namespace (as `docker exec` runs it), with /run
 * hidden under a tmpfs of the namespace's mount namespace: a container has no /run/systemd/system,
 * whatever the host runs.
 */
async function doctorIn(ns: NamespaceInit, configFile: string): Promise<DoctorRun> {
  const hide = await ns.exec(["sh", "-c", "[ ! -e /run/systemd ] || mount -t tmpfs -o mode=0755 tmpfs /run"]);
  assert.equal(hide.exitCode, 0, hide.stderr);
  const run = await ns.exec([process.execPath, BIN, "doctor", "--json", "-c", configFile], { cwd: REPO });
  const parsed = JSON.parse(run.stdout || "{}") as { findings?: DoctorRun["findings"] };
  return { code: run.exitCode, text: `${run.stdout}${run.stderr}`, findings: parsed.findings ?? [] };
}

/** The image's HEALTHCHECK command, from examples/container/Dockerfile, asking `port` instead of 9473. */
function healthcheck(port: string): string[] {
  const line = /^HEALTHCHECK .*\\\n\s+CMD (\[.*\])$/m.exec(readFileSync(join(EXAMPLE, "Dockerfile"), "utf8"))?.[1];
  assert.ok(line !== undefined, "the Dockerfile has a HEALTHCHECK ... CMD [...]");
  return (JSON.parse(line) as string[]).map((word) => word.replace("127.0.0.1:9473", `127.0.0.1:${port}`));
}

const healthy = (lifeguard: InitLifeguard) => async (): Promise<boolean> => {
  const url = statusUrl(lifeguard.log());
  if (url === undefined) return false;
  const status = (await (await fetch(`${url}/api/status`)).json()) as { services: Array<{ health: { kind: string } }> };
  return status.services[0]?.health.kind === "healthy";
};

describe("Lifeguard as PID 1 of a PID namespace", { skip }, () => {
  test("runs the bot, reaps the orphans the kernel hands it, and on SIGTERM stops the bot gracefully and exits 0, leaving nothing", async (t) => {
    const lab = initLab(t, "lifeguard-init-");
    const { log, pidFile } = lab.bot;
    const lifeguard = await lab.startBot({ everyMs: 200, orphans: 2 }, {
      interval: "1s",
      checks: [{ "log-fresh": { path: log, "max-age": "5s" } }],
      restart: { "stop-timeout": "5s" },
    });
    const { ns } = lifeguard;
    assert.ok(await waitFor(() => /Lifeguard started: watching "bot" \(pid 1\)/.test(lifeguard.log()), WAIT), lifeguard.log());
    assert.doesNotMatch(lifeguard.log(), /Cannot reap|Cannot make Lifeguard the reaper/);
    // PID 1 gets only the signals it has a handler for: these are Lifeguard's.
    const mask = caughtSignals(ns.pid);
    for (const name of ["SIGTERM", "SIGINT", "SIGHUP", "SIGCHLD"] as const) assert.ok(catches(mask, constants.signals[name]), `a handler for ${name}`);

    assert.ok(await waitFor(healthy(lifeguard), WAIT), lifeguard.log());
    const url = statusUrl(lifeguard.log()) as string;
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const probe = healthcheck(new URL(url).port);
    assert.equal((await runCommand(probe, { timeoutMs: 30_000 })).exitCode, 0, "the image's HEALTHCHECK passes");
    // As `docker exec CONTAINER lifeguard status` sees it: watched by PID 1, healthy.
    const status = await ns.exec([process.execPath, BIN, "status", "-c", lifeguard.configFile], { cwd: REPO });
    assert.equal(status.exitCode, 0, `${status.stdout}${status.stderr}`);
    assert.match(status.stdout, /lifeguard run.*PID 1\b/i);

    // The bot's helpers lost their parent at once: the kernel gave them to PID 1, Lifeguard.
    const { orphans = [] } = await botPids(lifeguard, pidFile);
    assert.equal(orphans.length, 2);
    const adopted = orphans.map((inside) => ns.find(inside));
    for (const stat of adopted) assert.equal(stat?.ppid, ns.pid, "an orphan's parent is Lifeguard");
    // They end; only their parent can reap them, and it does.
    for (const stat of adopted) process.kill((stat as { pid: number }).pid, "SIGTERM");
    assert.ok(await waitFor(() => orphans.every((inside) => ns.find(inside) === null), WAIT), `still there: ${zombies(ns).join(", ")}`);
    assert.deepEqual(zombies(ns), []);

    process.kill(ns.pid, "SIGTERM"); // docker stop
    assert.deepEqual(await exitOf(lifeguard), { code: 0, signal: null }, lifeguard.log());
    assert.match(lifeguard.log(), /Lifeguard stopping on SIGTERM\n.*Stopped "bot" in .*\n(.*\n)*.*Lifeguard stopped\n$/);
    assert.match(readFileSync(log, "utf8"), /INFO Stopping on SIGTERM\n$/, "the bot got SIGTERM and ended on its own");
    assert.notEqual((await runCommand(probe, { timeoutMs: 30_000 })).exitCode, 0, "the HEALTHCHECK fails once Lifeguard is gone");
  });

  test("reaps the child a crashed bot left once the restart killed it; on SIGINT a bot that ignores SIGTERM is killed after its stop-timeout", async (t) => {
    const lab = initLab(t, "lifeguard-init-crash-");
    const { log, pidFile } = lab.bot;
    const lifeguard = await lab.startBot({ everyMs: 100, crashAfter: 10, child: true, ignoreTerm: true }, {
      interval: "30s",
      checks: [{ "log-fresh": { path: log, "max-age": "1m" } }],
      "failure-threshold": 1,
      restart: { "stop-timeout": "1s", "kill-wait": "2s", "verify-timeout": "5s", backoff: { initial: "1m", max: "1m" } },
    });
    const { ns } = lifeguard;
    const first = await botPids(lifeguard, pidFile);
    assert.ok(first.child !== null);
    assert.ok(await waitFor(() => /\[FAIL\] "bot" exited with code 1 after/.test(lifeguard.log()), WAIT), lifeguard.log());
    // The bot died: its child (which ignores SIGTERM) is Lifeguard's until the restart kills it.
    assert.ok(await waitFor(() => /\[RESTART\] "bot" restarted \(reason: running\)/.test(lifeguard.log()), WAIT), lifeguard.log());
    const second = await botPids(lifeguard, pidFile, first.pid);
    assert.equal(ns.find(first.child), null, `the first child was reaped: ${zombies(ns).join(", ")}`);
    assert.ok(second.child !== null && ns.find(second.child) !== null);
    assert.deepEqual(zombies(ns), []);

    process.kill(ns.pid, "SIGINT"); // Ctrl-C in `docker run -it`
    assert.deepEqual(await exitOf(lifeguard), { code: 0, signal: null }, lifeguard.log());
    assert.match(lifeguard.log(), /Lifeguard stopping on SIGINT\n.*\[WARN\] "bot" did not stop within 1s of SIGTERM and was killed \(SIGKILL to every process of its run\)\n/);
  });

  test("reloads on SIGHUP and takes control commands from inside; SIGKILL from the host ends every process in it; a new namespace on the same state starts afresh with the history", async (t) => {
    const lab = initLab(t, "lifeguard-init-kill-");
    const { files } = lab;
    const { log, pidFile } = lab.bot;
    const config = (interval: string): Record<string, unknown> => daemonConfig(files, {
      services: { bot: { command: logBotArgv(log, { everyMs: 200, child: true, orphans: 1, pidFile }), interval, checks: [{ "log-fresh": { path: log, "max-age": "1m" } }] } },
    });
    const lifeguard = await lab.start(config("30s"));
    const { ns } = lifeguard;
    const first = await botPids(lifeguard, pidFile);
    assert.ok(await waitFor(() => lifeguard.count(/Lifeguard started/) === 1, WAIT), lifeguard.log());
    lifeguard.writeConfig(config("20s"));
    process.kill(ns.pid, "SIGHUP");
    assert.ok(await waitFor(() => lifeguard.count(/Reloaded the configuration/) === 1 && lifeguard.count(/Lifeguard started/) === 2, WAIT), lifeguard.log());
    assert.match(lifeguard.log(), /Kept "bot" is "active" \(PID \d+, up .*\) across the reload/);
    assert.ok(ns.find(first.pid) !== null, "the same bot runs on");
    // As `docker exec CONTAINER lifeguard restart bot` asks it.
    const asked = await ns.exec([process.execPath, BIN, "restart", "bot", "-c", lifeguard.configFile], { cwd: REPO });
    assert.equal(asked.exitCode, 0, `${asked.stdout}${asked.stderr}`);
    const second = await botPids(lifeguard, pidFile, first.pid);

    process.kill(ns.pid, "SIGKILL"); // docker kill, or docker stop's end of patience
    await exitOf(lifeguard); // (unshare reports its child's death by SIGKILL as exit code 1: not asserted)

    // docker start: a new PID 1 on the same volume, whose store still says that PID 1 watches and runs the bot.
    const again = await lab.start(config("20s"));
    assert.ok(await waitFor(() => again.count(/Lifeguard started: watching "bot" \(pid 1\)/) === 3, WAIT), again.log());
    const third = await botPids(again, pidFile, second.pid);
    assert.ok(again.ns.find(third.pid) !== null);
    assert.doesNotMatch(again.log(), /after stopping the copy|another Lifeguard/, "the old run died with its namespace: nothing to replace");
    const history = await again.ns.exec([process.execPath, BIN, "history", "-c", again.configFile], { cwd: REPO });
    assert.equal(history.exitCode, 0, history.stderr);
    assert.match(history.stdout, /bot +restarted +Restarted "bot" at the request of root \(cli\)/, "the first container's restart is in the history");
    process.kill(again.ns.pid, "SIGTERM");
    assert.deepEqual(await exitOf(again), { code: 0, signal: null }, again.log());
  });

  test("restarts a frozen bot (SIGSTOP): its log goes stale", async (t) => {
    const lab = initLab(t, "lifeguard-init-freeze-");
    const { log, pidFile } = lab.bot;
    const lifeguard = await lab.startBot({ everyMs: 200 }, {
      interval: "1s",
      checks: [{ "log-fresh": { path: log, "max-age": "2s" } }],
      "failure-threshold": 1,
      "startup-grace": "1s",
      restart: { "stop-timeout": "2s", "verify-timeout": "10s", backoff: { initial: "0s", max: "0s" } },
    });
    const { ns } = lifeguard;
    const frozen = await botPids(lifeguard, pidFile);
    assert.ok(await waitFor(healthy(lifeguard), WAIT), lifeguard.log());
    process.kill((ns.find(frozen.pid) as { pid: number }).pid, "SIGSTOP");
    assert.ok(await waitFor(() => /\[RESTART\] "bot" restarted \(reason: log-fresh\)/.test(lifeguard.log()), WAIT), lifeguard.log());
    const thawed = await botPids(lifeguard, pidFile, frozen.pid);
    assert.equal(ns.find(frozen.pid), null, "the frozen bot is gone, reaped");
    assert.notEqual(ns.find(thawed.pid)?.state, "T");
    assert.ok(await waitFor(healthy(lifeguard), WAIT), lifeguard.log());
    process.kill(ns.pid, "SIGTERM");
    assert.deepEqual(await exitOf(lifeguard), { code: 0, signal: null }, lifeguard.log());
  });

  test("doctor inside it, with no systemd: exit 0 while Lifeguard runs as PID 1; without it, the fix is lifeguard run (which works as printed), never install, and a systemd: service fails", async (t) => {
    const lab = initLab(t, "lifeguard-init-doctor-");
    const { files } = lab;
    const { log, pidFile } = lab.bot;
    const bot = { command: logBotArgv(log, { everyMs: 200, pidFile }), interval: "1s", checks: [{ "log-fresh": { path: log, "max-age": "1m" } }] };
    const alerts = { pager: { type: "exec", command: ["/bin/true"] } };
    const lifeguard = await lab.start(daemonConfig(files, { services: { bot }, alerts }));
    await botPids(lifeguard, pidFile);
    assert.ok(await waitFor(healthy(lifeguard), WAIT), lifeguard.log());
    const inside = await doctorIn(lifeguard.ns, lifeguard.configFile);
    assert.equal(inside.code, 0, inside.text);
    assert.deepEqual(inside.findings.filter(({ topic }) => topic === "watcher"), [{ level: "ok", topic: "watcher",
      message: 'lifeguard run (PID 1) watches "bot": there is no systemd on this box (no /run/systemd/system), and none is needed' }]);
    assert.doesNotMatch(inside.text, /lifeguard install|systemctl|timedatectl/, "no advice that needs systemd");
    process.kill(lifeguard.ns.pid, "SIGTERM");
    assert.deepEqual(await exitOf(lifeguard), { code: 0, signal: null }, lifeguard.log());

    // A container whose entrypoint is not Lifeguard: the store names the Lifeguard that stopped.
    const box = await startNamespaceInit(["sleep", "infinity"], { cwd: REPO });
    t.after(() => box.destroy());
    const without = await doctorIn(box, lifeguard.configFile);
    assert.equal(without.code, 1, without.text);
    const watcher = without.findings.find(({ topic }) => topic === "watcher");
    assert.equal(watcher?.level, "fail", without.text);
    assert.match(watcher?.message ?? "", /^nothing runs Lifeguard: there is no systemd on this box \(no \/run\/systemd\/system\), so `lifeguard install` cannot, and no lifeguard run for this configuration runs \(Lifeguard \(PID 1\) stopped on SIGTERM\)\. Make the command below the container's entrypoint \(docs\/containers\.md\), or run it$/);
    assert.equal(watcher?.fix, `lifeguard run -c ${lifeguard.configFile}`);
    assert.doesNotMatch(without.text, /lifeguard install -c|systemctl|timedatectl/);
    // A fresh container's bot has written no log yet: lifeguard run, which starts it, is the fix.
    const fresh = join(files.dir, "fresh.yaml");
    const freshLog = join(files.dir, "fresh", "bot.log");
    writeFileSync(fresh, stringify(daemonConfig({ ...files, state: join(files.dir, "fresh-state") }, { services: { bot: { ...bot, checks: [{ "log-fresh": { path: freshLog, "max-age": "1m" } }] } }, alerts })));
    const unwritten = (await doctorIn(box, fresh)).findings.find(({ topic }) => topic === "log");
    assert.deepEqual(unwritten, { level: "fail", topic: "log", message: `${freshLog} of "bot" does not exist: has the service written it yet, and is the path in the configuration right?`, fix: `lifeguard run -c ${fresh}` });
    // The fix, run as printed in the container (its `lifeguard` on PATH), makes doctor pass.
    const path = join(files.dir, "path");
    mkdirSync(path);
    symlinkSync(BIN, join(path, "lifeguard"));
    const fix = spawn("nsenter", ["-t", String(box.pid), "-p", "-m", `--wd=${REPO}`, "--", "sh", "-c", watcher?.fix ?? "false"], {
      stdio: "ignore", env: { ...process.env, PATH: `${path}:${process.env.PATH ?? ""}` },
    });
    const fixEnded = new Promise((resolve) => fix.once("exit", resolve));
    t.after(async () => {
      await box.destroy(); // the kernel kills the namespace's every process, the fix's Lifeguard too
      await fixEnded;
    });
    assert.ok(await waitFor(async () => (await doctorIn(box, lifeguard.configFile)).code === 0, WAIT), `${(await doctorIn(box, lifeguard.configFile)).text}\n${lifeguard.log()}`);

    // A systemd: service cannot run where there is no systemd: its fix edits the configuration.
    const mixed = join(files.dir, "mixed.yaml");
    writeFileSync(mixed, stringify(daemonConfig(files, { services: { bot, trader: { systemd: "trader.service" } }, alerts })));
    const systemd = await doctorIn(box, mixed);
    assert.equal(systemd.code, 1, systemd.text);
    assert.deepEqual(systemd.findings.filter(({ topic }) => topic === "unit" || topic === "rights" || topic === "journal"), [{ level: "fail", topic: "unit",
      message: 'trader.service of "trader" cannot run here: there is no systemd on this box (no /run/systemd/system). Give "trader" a command: instead of systemd:, which lifeguard run starts and watches itself (docs/containers.md)',
      fix: `editor ${mixed} && lifeguard validate -c ${mixed}` }]);
  });

  test("without its native module it says at start that it cannot reap, and an orphan that ends stays a zombie until it exits", async (t) => {
    const lab = initLab(t, "lifeguard-init-bare-");
    const { files } = lab;
    // The package without native/: as installed on a box without a compiler.
    const bare = join(files.dir, "package");
    mkdirSync(bare);
    for (const part of ["bin", "dist", "package.json"]) cpSync(join(REPO, part), join(bare, part), { recursive: true });
    symlinkSync(join(REPO, "node_modules"), join(bare, "node_modules"));
    const { log, pidFile } = lab.bot;
    const lifeguard = await lab.startBot({ everyMs: 200, orphans: 1 }, { interval: "30s", checks: [{ "log-fresh": { path: log, "max-age": "1m" } }] }, join(bare, "bin", "lifeguard.js"));
    const { ns } = lifeguard;
    const { orphans = [] } = await botPids(lifeguard, pidFile);
    assert.match(lifeguard.log(), /\[WARN\] Cannot reap the orphans re-parented to Lifeguard as PID 1 as the native module "native\/sd-notify\/build\/Release\/sd_notify.node" is not built \(.*\): each one that ends stays a zombie until Lifeguard exits; build the native module \(docs\/containers.md\) or start Lifeguard under an init that reaps \(docker run --init\)\n/);
    const orphan = ns.find(orphans[0] as number);
    assert.equal(orphan?.ppid, ns.pid);
    process.kill((orphan as { pid: number }).pid, "SIGTERM");
    assert.ok(await waitFor(() => ns.find(orphans[0] as number)?.state === "Z", WAIT), "a zombie of Lifeguard's");
    process.kill(ns.pid, "SIGTERM");
    assert.deepEqual(await exitOf(lifeguard), { code: 0, signal: null }, lifeguard.log());
  });
});

test("docs/containers.md shows examples/container/ as they are, and the example config is valid", () => {
  const doc = readFileSync(join(REPO, "docs", "containers.md"), "utf8");
  for (const name of ["Dockerfile", "lifeguard.yaml"]) assert.ok(doc.includes(readFileSync(join(EXAMPLE, name), "utf8")), `docs/containers.md holds examples/container/${name} verbatim`);
  const path = join(EXAMPLE, "lifeguard.yaml");
  const result = validateConfig(readFileSync(path, "utf8"), { source: path, baseDir: EXAMPLE, env: {} });
  assert.deepEqual(result.ok ? [] : result.issues, []);
  const dockerfile = readFileSync(join(EXAMPLE, "Dockerfile"), "utf8");
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
  assert.deepEqual(JSON.parse(entrypoint ?? "null"), ["lifeguard", "run", "-c", "/etc/lifeguard/lifeguard.yaml"]);
  // The package `npm pack` makes of this version.
  const { version } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };
  assert.deepEqual([...new Set(dockerfile.match(/lifeguard-[\d.]+\.tgz/g))], [`lifeguard-${version}.tgz`]);
  assert.deepEqual([...new Set(doc.match(/lifeguard-[\d.]+\.tgz/g))], [`lifeguard-${version}.tgz`]);
});
