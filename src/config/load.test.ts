import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative as relativeTo } from "node:path";
import { ConfigError, EXIT } from "../core/errors.js";
import { configAddress, findConfigPath, loadConfig, SYSTEM_CONFIG_PATH } from "./load.js";
import { MAX_CONFIG_BYTES } from "./read-bounded.js";

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh directory that a child running as "nobody" can enter. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-config-"));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}

/** Runs `action` and returns the ConfigError it throws. */
async function configErrorOf(action: () => unknown): Promise<ConfigError> {
  try {
    await action();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  return assert.fail("expected a ConfigError");
}

test("loadConfig reads, validates and resolves paths against the file's directory", async () => {
  const dir = tempDir();
  const file = join(dir, "lifeguard.yaml");
  writeFileSync(file, "state: state\nservices:\n  t:\n    systemd: t\n    checks:\n      - log-fresh: { path: ${LOGS}/t.log, max-age: 5m }\n");
  const config = await loadConfig(file, { LOGS: "logs" });
  assert.equal(config.source, file);
  assert.equal(config.state, join(dir, "state"));
  assert.deepEqual(config.services[0]?.checks[1], { id: "log-fresh", kind: "log-fresh", timeoutMs: 5000, alertOnly: false, path: join(dir, "logs/t.log"), journal: null, maxAgeMs: 300_000 });
});

test("loadConfig gives every service the options that find its file from any directory", async () => {
  const dir = tempDir();
  const file = join(dir, "lifeguard.yaml");
  writeFileSync(file, "services:\n  t:\n    systemd: t\n");
  // A relative -c, as typed: the advice names the file absolutely, or it works only from here.
  const relative = relativeTo(process.cwd(), file);
  const config = await loadConfig(relative, {});
  assert.deepEqual(config.services[0]?.policy.cliAddress, ["-c", file]);
  assert.deepEqual(config.cliAddress, ["-c", file]);
  // An invalid file's hint names it too: `lifeguard validate` alone would check another file.
  writeFileSync(file, "services:\n  t:\n    systemd: t\n    interval: soon\n");
  const error = await configErrorOf(() => loadConfig(relative, {}));
  assert.equal(error.hint, `Run \`lifeguard validate -c ${file}\` after editing; \`lifeguard schema\` prints the JSON Schema.`);
  // A secret's variable not set: where to put it, as lifeguard init says, in the files every command reads.
  writeFileSync(file, "services:\n  t:\n    systemd: t\nalerts:\n  phone: { type: telegram, token: ${TG_TOKEN}, chat: \"1\" }\n");
  const unset = await configErrorOf(() => loadConfig(relative, {}));
  assert.equal(unset.hint, `Put TG_TOKEN=... in /etc/lifeguard/env or ${join(dir, "lifeguard.env")} (one NAME=value a line, mode 0600), which every lifeguard command and Lifeguard's units read, or set it in the environment. ` +
    `Run \`lifeguard validate -c ${file}\` after editing; \`lifeguard schema\` prints the JSON Schema.`);
  // The system's file is found by every command without -c.
  assert.deepEqual(configAddress(SYSTEM_CONFIG_PATH), []);
  assert.deepEqual(configAddress("/etc/lifeguard/../lifeguard/lifeguard.yaml"), []);
});

test("loadConfig throws every issue of an invalid file, with exit code 78", async () => {
  const dir = tempDir();
  const file = join(dir, "lifeguard.yaml");
  writeFileSync(file, "services:\n  t:\n    systemd: t\n    interval: 30\n    max_age: 1\n");
  const error = await configErrorOf(() => loadConfig(file, {}));
  assert.equal(error.exitCode, EXIT.config);
  assert.equal(
    error.message,
    `Invalid configuration (2 problems):\n  ${file}:4:15: services.t.interval: expected a duration with a unit, got the bare number 30 (write 30s, 5m or 1h)\n  ${file}:5:5: services.t.max_age: unknown key "max_age" (known: systemd, systemctl-timeout, install-unit, command, cwd, env, user, output, min-uptime, interval, active, quiet, checks, failure-threshold, startup-grace, restart, forensics, alerts)`,
  );
});

test("loadConfig reads a ${file:PATH} secret relative to the config file's directory", async () => {
  const dir = tempDir();
  const file = join(dir, "lifeguard.yaml");
  writeFileSync(join(dir, "secret.txt"), "123456:ABC-from-file\n");
  writeFileSync(file, 'services: { t: { systemd: t } }\nalerts:\n  phone: { type: telegram, token: "${file:secret.txt}", chat: 42 }\n');
  // The working directory is elsewhere: the file is found beside the config, not here.
  assert.notEqual(process.cwd(), dir);
  const config = await loadConfig(file, {});
  assert.equal(config.channels[0]?.type === "telegram" && config.channels[0].token, "123456:ABC-from-file");
});

test("loadConfig names a ${file:PATH} secret that does not exist, with exit code 78", async () => {
  const dir = tempDir();
  const file = join(dir, "lifeguard.yaml");
  writeFileSync(file, 'services: { t: { systemd: t } }\nalerts:\n  phone: { type: telegram, token: "${file:secret.txt}", chat: 42 }\n');
  const error = await configErrorOf(() => loadConfig(file, {}));
  assert.equal(error.message, `Invalid configuration:\n  ${file}:3:35: alerts.phone.token: cannot read the file "secret.txt" of \${file:...} as it does not exist`);
  assert.equal(error.exitCode, EXIT.config);
});

test("loadConfig names a missing file", async () => {
  const file = join(tempDir(), "nope.yaml");
  const error = await configErrorOf(() => loadConfig(file, {}));
  assert.equal(error.message, `Invalid configuration:\n  ${file}: cannot read the configuration file as it does not exist`);
  assert.equal(error.exitCode, EXIT.config);
  assert.equal(error.hint, "Pass the configuration file with -c/--config FILE.");
});

test("loadConfig names a directory given as the file", async () => {
  const dir = tempDir();
  const error = await configErrorOf(() => loadConfig(dir, {}));
  assert.equal(error.message, `Invalid configuration:\n  ${dir}: cannot read the configuration file as it is a directory`);
});

test("loadConfig names an unreadable file", async () => {
  const dir = tempDir();
  const file = join(dir, "lifeguard.yaml");
  writeFileSync(file, "services: { t: { systemd: t } }\n", { mode: 0o600 });
  const expected = `Invalid configuration:\n  ${file}: cannot read the configuration file as permission is denied`;
  if (process.getuid?.() !== 0) {
    chmodSync(file, 0o000);
    assert.equal((await configErrorOf(() => loadConfig(file, {}))).message, expected);
    return;
  }
  // Root reads any file: ask a child running as "nobody" to load it.
  const probe = join(dir, "probe.mjs");
  writeFileSync(probe, "const { loadConfig } = await import(process.argv[2]);\ntry { await loadConfig(process.argv[3]); console.log('loaded'); } catch (error) { console.log(JSON.stringify({ message: error.message, exitCode: error.exitCode })); }\n");
  const loader = new URL("./load.ts", import.meta.url).href;
  const child = spawnSync(process.execPath, ["--import", "tsx", probe, loader, file], { uid: 65534, gid: 65534, cwd: process.cwd(), encoding: "utf8" });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), { message: expected, exitCode: EXIT.config });
});

test("findConfigPath prefers the explicit path, even one that does not exist", () => {
  assert.equal(findConfigPath("/nowhere/lg.yaml", { cwd: tempDir(), systemPath: "/nowhere/else.yaml" }), "/nowhere/lg.yaml");
});

test("findConfigPath takes ./lifeguard.yaml first, then the system file", () => {
  const cwd = tempDir();
  const system = join(tempDir(), "lifeguard.yaml");
  writeFileSync(system, "");
  assert.equal(findConfigPath(undefined, { cwd, systemPath: system }), system);
  writeFileSync(join(cwd, "lifeguard.yaml"), "");
  assert.equal(findConfigPath(undefined, { cwd, systemPath: system }), join(cwd, "lifeguard.yaml"));
});

test("findConfigPath names both places when neither exists", async () => {
  const cwd = tempDir();
  const system = join(tempDir(), "etc", "lifeguard.yaml");
  const error = await configErrorOf(() => findConfigPath(undefined, { cwd, systemPath: system }));
  const local = join(cwd, "lifeguard.yaml");
  assert.equal(error.message, `Invalid configuration:\n  ${local}: cannot find a configuration file: neither "${local}" nor "${system}" exists`);
  assert.equal(error.exitCode, EXIT.config);
});

test("loadConfig refuses a file over 1 MiB before parsing it, naming its size", async () => {
  const file = join(tempDir(), "lifeguard.yaml");
  writeFileSync(file, `services: { t: { systemd: t } }\n${"# padding\n".repeat(1024 * 1024)}`);
  const error = await configErrorOf(() => loadConfig(file, {}));
  assert.equal(error.message, `Invalid configuration:\n  ${file}: cannot load the configuration file as it is 10MiB: a Lifeguard configuration is at most 1MiB`);
  assert.equal(error.exitCode, EXIT.config);
  assert.equal(error.hint, "A Lifeguard configuration is a few KiB: check that -c/--config names the right file.");
});

test("loadConfig names the bytes of a file just over the limit, and reads a file of exactly the limit", async () => {
  const dir = tempDir();
  const head = "services: { t: { systemd: t } }\n";
  const exact = join(dir, "exact.yaml");
  writeFileSync(exact, head + "#".repeat(MAX_CONFIG_BYTES - head.length - 1) + "\n");
  assert.equal((await loadConfig(exact, {})).services[0]?.name, "t");
  const over = join(dir, "over.yaml");
  writeFileSync(over, head + "#".repeat(MAX_CONFIG_BYTES - head.length) + "\n");
  const error = await configErrorOf(() => loadConfig(over, {}));
  assert.equal(error.message, `Invalid configuration:\n  ${over}: cannot load the configuration file as it is ${MAX_CONFIG_BYTES + 1} bytes: a Lifeguard configuration is at most 1MiB`);
});

test("loadConfig stops reading a device that never ends, as a config or as a ${file:PATH} secret", async () => {
  const error = await configErrorOf(() => loadConfig("/dev/zero", {}));
  assert.equal(error.message, "Invalid configuration:\n  /dev/zero: cannot load the configuration file as it is more than 1MiB: a Lifeguard configuration is at most 1MiB");
  const file = join(tempDir(), "lifeguard.yaml");
  writeFileSync(file, 'services: { t: { systemd: t } }\nalerts:\n  phone: { type: telegram, token: "${file:/dev/zero}", chat: 42 }\n');
  const secret = await configErrorOf(() => loadConfig(file, {}));
  assert.equal(secret.message, `Invalid configuration:\n  ${file}:3:35: alerts.phone.token: cannot read the file "/dev/zero" of \${file:...} as it is more than 1MiB: a Lifeguard configuration is at most 1MiB`);
});

test("an http check's ca is read at load, relative to the config; a missing or non-PEM file is a config error at its line and field (exit 78)", async () => {
  const dir = tempDir();
  const file = join(dir, "lifeguard.yaml");
  const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  writeFileSync(join(dir, "ca.pem"), pem);
  writeFileSync(join(dir, "notes.txt"), "not a certificate\n");
  const withCa = (ca: string) => `state: state\nservices:\n  api:\n    systemd: api\n    checks:\n      - http:\n          url: https://127.0.0.1:8443/health\n          ca: ${ca}\n`;
  writeFileSync(file, withCa("ca.pem"));
  const http = (await loadConfig(file, {})).services[0]?.checks[1];
  assert.deepEqual(http?.kind === "http" ? [http.caFile, http.ca] : null, [join(dir, "ca.pem"), pem]);
  for (const [ca, message] of [
    ["missing.pem", `cannot read "${join(dir, "missing.pem")}" as it does not exist`],
    ["notes.txt", `"${join(dir, "notes.txt")}" holds no PEM certificate (a "-----BEGIN CERTIFICATE-----" block)`],
  ] as const) {
    writeFileSync(file, withCa(ca));
    const error = await configErrorOf(() => loadConfig(file, {}));
    assert.equal(error.exitCode, EXIT.config);
    assert.deepEqual(error.issues, [{ file, line: 8, column: 15, path: "services.api.checks[0].ca", message }]);
  }
});
