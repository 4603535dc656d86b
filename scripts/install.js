#!/usr/bin/env node
// npm's `postinstall` step, in a checkout (`npm ci`) and in an installed package (`npm install -g
// ./lifeguard-X.tgz`, `npm ci --omit=dev` in an unpacked one) alike. It runs after the
// dependencies are installed, from the package's directory. Two native parts:
// - better-sqlite3, the store, without which nothing works. It is an optional dependency only so
//   that a box without a compiler gets one clear message from here instead of pages of node-gyp
//   output from npm: when it did not build, this step fails with that message.
// - native/sd-notify, Lifeguard's own addon (sd_notify datagrams, the subreaper, cgroup and
//   hang-up probes). Lifeguard runs without it, with less (docs/deployment.md says what), so a
//   failed build is a warning: the install goes on.
// Set LIFEGUARD_SKIP_NATIVE=1 to leave native/sd-notify unbuilt (the tests use it to stand for a box
// without a compiler).
import { spawnSync } from "node:child_process";
import { accessSync, constants, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join } from "node:path";

const DEBIAN_TOOLS = "sudo apt-get install build-essential python3";
const ADDON_DIR = join("native", "sd-notify");
const BUILD_LOG = join(ADDON_DIR, "build-error.log");

const store = loadStore();
if (store !== null) {
  console.error(`lifeguard: its store, better-sqlite3, is not installed: ${store}.`);
  console.error(`  better-sqlite3 is compiled on install where no prebuilt binary fits this box: install a C compiler, make and python3 (Debian, Raspberry Pi OS: ${DEBIAN_TOOLS}), then install Lifeguard again.`);
  process.exit(1);
}

const missing = ["make", "cc", "python3"].filter((tool) => !onPath(tool));
if (process.env.LIFEGUARD_SKIP_NATIVE === "1") {
  console.error("lifeguard: native/sd-notify left unbuilt (LIFEGUARD_SKIP_NATIVE=1)");
} else if (missing.length > 0) {
  warn(`${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not installed`);
} else {
  // node-gyp is npm's own: npm puts it on the PATH of the scripts it runs.
  const built = spawnSync("node-gyp", ["rebuild", `--directory=${ADDON_DIR}`], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (built.status !== 0) {
    writeFileSync(BUILD_LOG, `${built.stdout ?? ""}${built.stderr ?? ""}${built.error === undefined ? "" : String(built.error)}\n`);
    warn(`node-gyp failed (its output: ${join(process.cwd(), BUILD_LOG)})`);
  }
}

/** null when better-sqlite3 loads and opens a database; else why not. */
function loadStore() {
  try {
    const Database = createRequire(join(process.cwd(), "package.json"))("better-sqlite3");
    new Database(":memory:").close();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message.split("\n")[0] : String(error);
  }
}

function onPath(command) {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function warn(why) {
  console.error(`lifeguard: warning: its native helper (native/sd-notify) was not built: ${why}.`);
  console.error("  Lifeguard runs without it: systemd is then notified through systemd-notify (NotifyAccess=all, unless it runs as root),");
  console.error("  and a supervised command's grandchildren are not reaped by Lifeguard. `lifeguard doctor` says the same.");
  console.error(`  To build it: ${DEBIAN_TOOLS}, then \`npm rebuild -g lifeguard\` (or \`npm run build:native\` in a checkout).`);
}
