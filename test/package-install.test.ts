// Lifeguard installed as a user installs it: from the package `npm pack` makes (the built dist/, no
// tests, no source maps, the lockfile as npm-shrinkwrap.json), with `npm install -g` and with
// `npm ci --omit=dev`; on a box without a compiler, one clear message; and a daemon whose native
// addon is missing, run by real systemd as Type=notify with WatchdogSec=, keeps itself alive
// through systemd-notify and says so in its log. Needs the built dist/ (npm test builds it) and the
// npm cache the checkout's `npm ci` filled.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { runCommand, type CommandResult } from "../src/process/run-command.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { REPO } from "./support/lab.js";

const support = sandboxSupport();
const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
const INSTALL_MS = 600_000;
/** What a box without a compiler lacks: a C or C++ compiler, make and python (node-gyp's). */
const COMPILER_TOOLS = /^(cc|c\+\+|cpp|gcc.*|g\+\+.*|.*-linux-gnu-.*|clang.*|make|gmake|python.*)$/;
/** npm's answers when the registry cannot be reached (metadata is fetched for a global install). */
const OFFLINE = /ENOTCACHED|EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ETIMEDOUT/;
const TEST_OR_MAP = /(^|\/)(testing|fixtures)\/|\.test\.|\.contract\.|\.map$/;

const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CommandResult> =>
  runCommand(["npm", ...args, "--no-audit", "--no-fund"], { cwd, timeoutMs: INSTALL_MS, maxOutputBytes: 4 * 1024 * 1024, env: { ...process.env, npm_config_build_from_source: "true", ...env } });
const said = (result: CommandResult): string => `${result.stdout}\n${result.stderr}`;

describe("installing the package", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  let dir: string;
  let tarball: string;
  before(async () => {
    sandbox = await startSandbox();
    dir = sandbox.workdir;
    // The shipped files, copied apart: `npm pack` runs its prepack and prepare there as a user's
    // would, without building dist/ again under the other tests' feet.
    const listed = await npm(["pack", "--dry-run", "--json", "--ignore-scripts"], REPO);
    assert.equal(listed.exitCode, 0, listed.stderr);
    const source = join(dir, "source");
    for (const { path } of (JSON.parse(listed.stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files ?? []) {
      mkdirSync(join(source, path, ".."), { recursive: true });
      copyFileSync(join(REPO, path), join(source, path));
    }
    copyFileSync(join(REPO, "package-lock.json"), join(source, "package-lock.json"));
    const packed = await npm(["pack", "--pack-destination", dir], source);
    assert.equal(packed.exitCode, 0, said(packed));
    tarball = join(dir, `lifeguard-${VERSION}.tgz`);
    assert.ok(existsSync(tarball), said(packed));
    assert.ok(!existsSync(join(source, "npm-shrinkwrap.json")), "postpack removed the shrinkwrap it made");
  });
  after(async () => {
    await sandbox?.stop();
  });

  /** The package unpacked into `name`/ (its files are in package/ inside the tarball). */
  const unpack = async (name: string): Promise<string> => {
    const target = join(dir, name);
    mkdirSync(target, { recursive: true });
    const untar = await runCommand(["tar", "-xzf", tarball, "-C", target, "--strip-components=1"], { timeoutMs: 60_000 });
    assert.equal(untar.exitCode, 0, untar.stderr);
    return target;
  };

  test("the package carries the built dist/, the lockfile as npm-shrinkwrap.json, and no test, fixture, source map or src/", async () => {
    const listing = await runCommand(["tar", "-tzf", tarball], { timeoutMs: 60_000, maxOutputBytes: 4 * 1024 * 1024 });
    const paths = listing.stdout.trim().split("\n").map((path) => path.replace(/^package\//, ""));
    for (const shipped of ["bin/lifeguard.js", "dist/lifeguard-cli.cjs", "dist/lifeguard-run.cjs", "npm-shrinkwrap.json", "scripts/install.js", "native/sd-notify/sd_notify.c"]) assert.ok(paths.includes(shipped), shipped);
    assert.deepEqual(paths.filter((path) => TEST_OR_MAP.test(path) || path.startsWith("src/") || path.startsWith("native/sd-notify/build/")), []);
  });

  test("npm install -g of the package gives a working `lifeguard` on PATH, with no dev dependency", async (t) => {
    const prefix = join(dir, "global");
    const installed = await npm(["install", "-g", "--prefix", prefix, "--prefer-offline", tarball], dir);
    if (installed.exitCode !== 0 && OFFLINE.test(said(installed))) return t.skip(`the registry's metadata cannot be fetched: ${said(installed).match(OFFLINE)?.[0]}`);
    assert.equal(installed.exitCode, 0, said(installed));
    const bin = join(prefix, "bin", "lifeguard");
    const version = await runCommand([bin, "--version"], { timeoutMs: 60_000, env: { ...process.env, PATH: `${join(prefix, "bin")}:${process.env.PATH}` } });
    assert.equal(version.stdout.trim(), VERSION, version.stderr);
    // The config pipeline and the store work (better-sqlite3 was built), and the native addon was built.
    const root = join(prefix, "lib", "node_modules", "lifeguard");
    const config = writeLogConfig(join(dir, "global-run"));
    for (const command of ["validate", "history"]) {
      const ran = await runCommand([bin, command, "-c", config], { timeoutMs: 60_000 });
      assert.equal(ran.exitCode, 0, `${command}: ${said(ran)}`);
    }
    assert.ok(existsSync(join(root, "native", "sd-notify", "build", "Release", "sd_notify.node")), "the addon was built on install");
    const modules = readdirSync(join(root, "node_modules"));
    for (const dev of ["typescript", "eslint", "tsx", "esbuild", "playwright-core"]) assert.ok(!modules.includes(dev), `${dev} is a dev dependency`);
  });

  test("npm ci --omit=dev on a box without a compiler fails with one clear message naming the Debian packages", async () => {
    const target = await unpack("no-compiler");
    const tools = join(dir, "no-compiler-bin");
    mkdirSync(tools, { recursive: true });
    // Every command of the box but the compilers, and node and npm.
    for (const bin of ["/usr/bin", "/bin"]) {
      for (const tool of readdirSync(bin)) if (!COMPILER_TOOLS.test(tool) && !existsSync(join(tools, tool))) symlinkSync(join(bin, tool), join(tools, tool));
    }
    for (const tool of ["node", "npm"]) if (!existsSync(join(tools, tool))) symlinkSync(await whichPath(tool), join(tools, tool));
    const installed = await npm(["ci", "--omit=dev", "--offline"], target, { PATH: tools });
    assert.notEqual(installed.exitCode, 0);
    const output = said(installed);
    assert.match(output, /lifeguard: its store, better-sqlite3, is not installed/);
    assert.match(output, /sudo apt-get install build-essential python3/);
    assert.doesNotMatch(output, /gyp ERR!/, "node-gyp's own output is not shown");
  });

  test("npm ci --omit=dev installs the unpacked package; its daemon without the native addon keeps systemd's watchdog fed through systemd-notify, and says so", async () => {
    const target = await unpack("omit-dev");
    // The dependency tree from npm-shrinkwrap.json, from the cache alone; better-sqlite3's build is
    // the global install's (compiling it again would double this file's time), then the package's
    // own steps run as npm runs them, with the addon left unbuilt as on a box without a compiler.
    const installed = await npm(["ci", "--omit=dev", "--offline", "--ignore-scripts"], target);
    assert.equal(installed.exitCode, 0, said(installed));
    assert.ok(!existsSync(join(target, "node_modules", "typescript")));
    await buildStore(target);
    for (const step of ["postinstall", "prepare"]) {
      const ran = await npm(["run", step], target, { LIFEGUARD_SKIP_NATIVE: "1" });
      assert.equal(ran.exitCode, 0, said(ran));
    }
    assert.ok(!existsSync(join(target, "native", "sd-notify", "build")));

    const config = writeLogConfig(join(dir, "omit-dev-run"));
    const log = join(dir, "omit-dev-run", "lifeguard.log");
    await sandbox.writeUnit("lifeguard.service", `[Service]
Type=notify
NotifyAccess=all
WatchdogSec=2s
Restart=on-watchdog
ExecStart=${process.execPath} ${join(target, "bin", "lifeguard.js")} run -c ${config}
StandardOutput=append:${log}
StandardError=inherit
`);
    await sandbox.daemonReload();
    const started = await sandbox.exec(["systemctl", "start", "lifeguard.service"]);
    assert.ok(started.ok, `${started.stderr}\n${readOptional(log)}`);
    await delay(3 * 2000); // three watchdog periods: only the pings keep it from a restart
    const shown = await sandbox.exec(["systemctl", "show", "-p", "ActiveState", "-p", "NRestarts", "lifeguard.service"]);
    assert.deepEqual(shown.stdout.trim().split("\n").sort(), ["ActiveState=active", "NRestarts=0"], readOptional(log));
    assert.match(readOptional(log), /The native helper is not usable .*systemd is notified through systemd-notify, which needs NotifyAccess=all/);
    assert.ok(await waitFor(() => /Lifeguard started/.test(readOptional(log)), { timeoutMs: 10_000 }));
    assert.ok((await sandbox.exec(["systemctl", "stop", "lifeguard.service"])).ok);
  });

  /** Puts the global install's compiled better-sqlite3 into `target` (or compiles it when that test did not run). */
  const buildStore = async (target: string): Promise<void> => {
    const built = join(dir, "global", "lib", "node_modules", "lifeguard", "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node");
    const into = join(target, "node_modules", "better-sqlite3", "build", "Release");
    if (existsSync(built)) {
      mkdirSync(into, { recursive: true });
      copyFileSync(built, join(into, "better_sqlite3.node"));
      return;
    }
    const rebuilt = await npm(["rebuild", "better-sqlite3"], target);
    assert.equal(rebuilt.exitCode, 0, said(rebuilt));
  };
});

/** A config with one supervised command whose log is fresh. */
function writeLogConfig(at: string): string {
  mkdirSync(at, { recursive: true });
  const log = join(at, "bot.log");
  writeFileSync(log, "tick\n");
  const config = join(at, "lifeguard.yaml");
  writeFileSync(config, `state: ${join(at, "state")}\nhttp: { listen: "127.0.0.1:0" }\nservices:\n  bot:\n    command: [sleep, "3600"]\n    interval: 1s\n    checks:\n      - log-fresh: { path: ${log}, max-age: 1h }\n`);
  return config;
}

async function whichPath(command: string): Promise<string> {
  const found = await runCommand(["sh", "-c", 'command -v "$1"', "sh", command], { timeoutMs: 10_000 });
  assert.equal(found.exitCode, 0, `${command} is not on PATH`);
  return found.stdout.trim();
}

function readOptional(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "(no log)";
}
