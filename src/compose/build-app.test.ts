import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryLogger } from "../core/logger.js";
import { buildConfig } from "../testing/build-config.js";
import { buildApp, type App } from "./build-app.js";

const TOKEN = "carry-test-token-0123456789";

/** Builds the app a reload would build after `previous`, from a config with `bot` as given. */
function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-carry-"));
  const apps: App[] = [];
  t.after(() => {
    apps.forEach((app) => app.close());
    rmSync(dir, { recursive: true, force: true });
  });
  return (bot: Record<string, unknown>, options: { listen?: string; previous?: App; unitChecks?: unknown[] } = {}): App => {
    const config = buildConfig({
      state: join(dir, "state"),
      http: { listen: options.listen ?? "127.0.0.1:9473", token: TOKEN },
      services: { bot, unit: { systemd: "unit.service", ...(options.unitChecks === undefined ? {} : { checks: options.unitChecks }) } },
    });
    const app = buildApp(config, { logger: createMemoryLogger(), carry: options.previous?.carry() ?? [] });
    apps.push(app);
    return app;
  };
}

const runnerOf = (app: App, name: string) => app.services.find((parts) => parts.config.name === name)?.runner;

test("a reload keeps the runner of a supervised service whose settings did not change, and only that", (t) => {
  const build = setup(t);
  const first = build({ command: ["python3", "bot.py"], interval: "30s" });
  const sameCommand = build({ command: ["python3", "bot.py"], interval: "5s" }, { previous: first });
  assert.equal(runnerOf(sameCommand, "bot"), runnerOf(first, "bot"), "the interval is not the runner's: the process runs on");
  assert.notEqual(runnerOf(sameCommand, "unit"), runnerOf(first, "unit"), "a systemd runner owns no process: it is built anew");
  const otherCommand = build({ command: ["python3", "bot.py", "--live"] }, { previous: sameCommand });
  assert.notEqual(runnerOf(otherCommand, "bot"), runnerOf(sameCommand, "bot"));
  const otherEnv = build({ command: ["python3", "bot.py", "--live"], env: { MODE: "x" } }, { previous: otherCommand });
  assert.notEqual(runnerOf(otherEnv, "bot"), runnerOf(otherCommand, "bot"));
});

test("a reload restarts a service with a ping heartbeat when its ping URL may change", (t) => {
  const build = setup(t);
  const bot = { command: ["python3", "bot.py"], checks: [{ heartbeat: { "max-age": "1m" } }] };
  const fixed = build(bot);
  assert.equal(runnerOf(build(bot, { previous: fixed }), "bot"), runnerOf(fixed, "bot"), "same host, port and token: same URL");
  assert.notEqual(runnerOf(build(bot, { listen: "127.0.0.1:9474", previous: fixed }), "bot"), runnerOf(fixed, "bot"), "another port");
  const picked = build(bot, { listen: "127.0.0.1:0" });
  assert.notEqual(runnerOf(build(bot, { listen: "127.0.0.1:0", previous: picked }), "bot"), runnerOf(picked, "bot"), "port 0: the next listen picks another");
});

test("a supervised service's exec check runs with the service's env: and its own over it; a systemd service's with its own alone", async (t) => {
  const build = setup(t);
  // `$BROKER`, not `${BROKER:-none}`: the config itself would interpolate the latter at load.
  const probe = { exec: { command: ["/bin/sh", "-c", 'echo "$MODE/$BROKER"; exit 1'], env: { MODE: "check" } } };
  // `unit` (setup's systemd service) gets the same check: no env: of its own to add.
  const app = build({ command: ["python3", "bot.py"], env: { MODE: "service", BROKER: "127.0.0.1:4002" }, checks: [probe] }, { unitChecks: [probe] });
  const stdoutOf = async (name: string) => {
    const check = app.services.find((parts) => parts.config.name === name)?.checks.find((each) => each.id === "exec");
    return (await check?.run(new AbortController().signal))?.evidence.stdout;
  };
  assert.equal(await stdoutOf("bot"), "check/127.0.0.1:4002\n");
  assert.equal(await stdoutOf("unit"), "check/\n");
});
