import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { findAddon } from "./native-addon.js";
import { watchOutputHangup } from "./output-hangup.js";

const modulePath = fileURLToPath(new URL("./output-hangup.ts", import.meta.url));
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const addonSkip = findAddon() === null ? "the native addon is not built (npm run build:native)" : false;

test("watchOutputHangup sees the reader of a quiet pipe go, without a write", { skip: addonSkip, timeout: 30_000 }, async (t) => {
  // A child whose stdout is a pipe to this test: it says it watches, then writes nothing more.
  const script = `
    const { watchOutputHangup } = await import(${JSON.stringify(modulePath)});
    const reason = watchOutputHangup(1, () => { process.stderr.write("gone\\n"); process.exit(0); }, { signal: new AbortController().signal, intervalMs: 20 });
    process.stdout.write((reason ?? "watching") + "\\n");
    setInterval(() => undefined, 1000);
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  t.after(() => void child.kill("SIGKILL"));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const [first] = (await once(child.stdout, "data")) as [Buffer];
  assert.equal(first.toString(), "watching\n");
  child.stdout.destroy(); // the only reader closes its end, as head does when it has its lines
  const [code] = (await once(child, "exit")) as [number | null];
  assert.equal(code, 0, stderr);
  assert.equal(stderr, "gone\n");
});

test("watchOutputHangup does not watch a file, which has no reader to lose, and says why", (t) => {
  const fd = openSync(fileURLToPath(import.meta.url), "r");
  t.after(() => closeSync(fd));
  const reason = watchOutputHangup(fd, () => assert.fail("a file has no reader to lose"), { signal: AbortSignal.abort() });
  assert.equal(reason, `file descriptor ${fd} is neither a pipe nor a socket`);
});
