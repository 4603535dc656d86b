import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { startWebhookReceiver, TEST_WEBHOOK_PATH } from "../src/testing/webhook-receiver.js";
import { waitFor } from "../src/testing/wait-for.js";
import { botFiles, daemonConfig, daemonFiles, sleeperCommand, startDaemon, statusUrl } from "./support/daemon.js";
import { REPO } from "./support/lab.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 100 };

/**
 * Node modules the daemon must not hold when it does not use them: each stays resident for the
 * life of the process (measured with `npm run bench`). undici is what the web fetch classes
 * (`fetch`, `Request`, `Response`, `Headers`) load, about 7 MiB; crypto is needed only for an
 * HTTP token or a digest's hash; perf_hooks never (process/monotonic.ts); tls only for https.
 */
const UNWANTED = [/undici/, /^NativeModule crypto$/, /^NativeModule perf_hooks$/, /^NativeModule (tls|https)$/];

/** Preloaded into the daemon (and its config process, which ignores it): writes the modules it loaded on SIGUSR2. */
function modulesPreload(out: string): string {
  return `if (process.argv.includes("run")) process.on("SIGUSR2", () => require("node:fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList)));\n`;
}

test("a daemon serving HTTP, requesting its dead-man's switch and sending a webhook alert loads neither undici nor crypto, perf_hooks or tls", async (t) => {
  const hook = await startWebhookReceiver();
  t.after(() => hook.close());
  let deadmanRequests = 0;
  const deadman = createServer((_request, response) => {
    deadmanRequests += 1;
    response.end("ok\n");
  });
  await new Promise<void>((resolve) => deadman.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => deadman.close(() => resolve())));

  const files = daemonFiles("lifeguard-footprint-");
  const { pidFile, bot } = botFiles(files);
  const preload = join(files.dir, "modules.cjs");
  const modulesFile = join(files.dir, "modules.json");
  writeFileSync(preload, modulesPreload(modulesFile));
  const lifeguard = startDaemon(t, files, daemonConfig(files, {
    services: { bot: { command: sleeperCommand(pidFile), interval: "1s", checks: ["running"] } },
    deadman: { url: `http://127.0.0.1:${(deadman.address() as AddressInfo).port}/ping`, interval: "1s" },
    alerts: { hook: { type: "webhook", url: `${hook.origin}${TEST_WEBHOOK_PATH}` } },
  }), [bot], { ...process.env, NODE_OPTIONS: `--require ${preload}` });

  assert.ok(await waitFor(() => bot.current() !== null && statusUrl(lifeguard.log()) !== undefined, WAIT), lifeguard.log());
  assert.ok(await waitFor(() => deadmanRequests > 0 && hook.received.length > 0, WAIT), lifeguard.log());
  const url = statusUrl(lifeguard.log()) as string;
  for (const path of ["/healthz", "/api/status", "/api/history", "/ping/bot", "/nowhere"]) await (await fetch(`${url}${path}`)).text();

  process.kill(lifeguard.pid, "SIGUSR2");
  assert.ok(await waitFor(() => existsSync(modulesFile), WAIT), "the preload wrote the daemon's module list");
  const loaded = JSON.parse(readFileSync(modulesFile, "utf8")) as string[];
  assert.ok(loaded.includes("NativeModule http"), "the list is the daemon's: it serves HTTP");
  assert.deepEqual(loaded.filter((entry) => UNWANTED.some((pattern) => pattern.test(entry))), []);

  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0);
});

test("the daemon's bundle is ASCII and holds none of the status page's code, which is a bundle of its own (needs the built dist/)", () => {
  const run = readFileSync(join(REPO, "dist", "lifeguard-run.cjs"), "utf8");
  // One character beyond ASCII (in a tagged template, which the bundler cannot escape) makes V8
  // keep the whole source as a two-byte string: some 0.6 MiB more resident, measured.
  assert.deepEqual(run.match(/[\u0080-\uffff]/g) ?? [], []);
  assert.equal(run.includes("function renderStatusPage("), false);
  assert.ok(readFileSync(join(REPO, "dist", "lifeguard-page.cjs"), "utf8").includes("function renderStatusPage("));
});
