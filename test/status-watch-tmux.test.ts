// `lifeguard status --watch` as a person sees it: in a real terminal (tmux), redrawn as the
// service changes, coloured unless NO_COLOR says otherwise, left with q.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../src/testing/wait-for.js";
import { botFiles, daemonConfig, daemonFiles, sleeperCommand, startDaemon } from "./support/daemon.js";
import { BIN, REPO } from "./support/lab.js";
import { shellWord } from "../src/core/cli-command.js";

const TMUX = "/usr/bin/tmux";
/** An SGR escape sequence: `ESC[<code>m`. */
const sgr = (code: string): string => `\u001b[${code}m`;
const anyColour = (text: string): boolean => ["31", "32", "33", "36", "1;31"].some((code) => text.includes(sgr(code)));
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
const skip = existsSync(TMUX) ? false : "tmux is not installed (Debian package `tmux`)";

/** A tmux server of the test's own (its own socket), one session running `command`; killed after the test. */
function terminal(t: { after(fn: () => void): void }, command: string[], env: Record<string, string>) {
  const socket = `lifeguard-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...args: string[]) => spawnSync(TMUX, ["-L", socket, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  // tmux runs its command through a shell: the words are quoted for one.
  const started = tmux("new-session", "-d", "-s", "view", "-x", "200", "-y", "40", command.map(shellWord).join(" "));
  assert.equal(started.status, 0, started.stderr);
  t.after(() => void tmux("kill-server"));
  return {
    /** The screen as text; with `escapes`, its colours as escape sequences too. */
    screen: (escapes = false) => tmux("capture-pane", "-p", ...(escapes ? ["-e"] : []), "-t", "view").stdout,
    keys: (...keys: string[]) => tmux("send-keys", "-t", "view", ...keys),
    alive: () => tmux("has-session", "-t", "view").status === 0,
  };
}

function startBot(t: { after(fn: () => void): void }): { config: string } {
  const files = daemonFiles("lifeguard-watch-tmux-");
  const { pidFile, bot } = botFiles(files);
  startDaemon(t, files, daemonConfig(files, { services: { bot: { command: sleeperCommand(pidFile), interval: "1s", "startup-grace": "0s" } } }), [bot]);
  return { config: join(files.dir, "lifeguard.yaml") };
}

test("status --watch redraws as the service changes, in colour, and q leaves it", { skip }, async (t) => {
  const { config } = startBot(t);
  const view = terminal(t, [process.execPath, BIN, "status", "--watch", "--interval", "1s", "-c", config], { TERM: "xterm-256color" });
  assert.ok(await waitFor(() => /Watched by lifeguard run \(PID \d+\)/.test(view.screen()) && /\bbot\s+.*\shealthy\s/.test(view.screen()), WAIT), view.screen());
  assert.match(view.screen(), /^Every 1s: lifeguard status · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · q quits$/m);
  // Green: watched and healthy.
  assert.ok(view.screen(true).includes(`${sgr("32")}healthy`), view.screen(true));
  const stopped = spawnSync(process.execPath, [BIN, "stop", "bot", "-c", config], { cwd: REPO, encoding: "utf8" });
  assert.equal(stopped.status, 0, stopped.stderr);
  assert.ok(await waitFor(() => /\bbot\s+.*\sstopped by root \(cli\)/.test(view.screen()), WAIT), view.screen());
  assert.ok(view.screen(true).includes(`${sgr("36")}stopped by root`), view.screen(true));
  view.keys("q");
  assert.ok(await waitFor(() => !view.alive(), WAIT), "q ends the view (and its session with it)");
});

test("status --watch in a terminal has no colours when NO_COLOR is set", { skip }, async (t) => {
  const { config } = startBot(t);
  const view = terminal(t, ["env", "NO_COLOR=1", process.execPath, BIN, "status", "--watch", "-c", config], { TERM: "xterm-256color" });
  assert.ok(await waitFor(() => /\bbot\s+.*\shealthy\s/.test(view.screen()), WAIT), view.screen());
  assert.equal(anyColour(view.screen(true)), false, view.screen(true));
  view.keys("q");
  assert.ok(await waitFor(() => !view.alive(), WAIT));
});

test("status in a pipe is plain text; FORCE_COLOR colours it; a bad --interval is a usage error", async (t) => {
  const { config } = startBot(t);
  const run = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [BIN, "status", ...args, "-c", config], { cwd: REPO, encoding: "utf8", env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...env } });
  assert.ok(await waitFor(() => run([]).status === 0, WAIT));
  assert.equal(run([]).stdout.includes("\u001b["), false);
  assert.ok(run([], { FORCE_COLOR: "1" }).stdout.includes(`${sgr("32")}healthy`));
  const bad = run(["--watch", "--interval", "0.2s"]);
  assert.equal(bad.status, 64);
  assert.equal(bad.stderr, 'lifeguard: Cannot read --interval: expected a duration of at least 1s such as 2s or 1m, got "0.2s"\n');
  assert.equal(run(["--watch", "--json"]).status, 64);
});
