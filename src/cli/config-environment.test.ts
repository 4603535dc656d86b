import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../core/errors.js";
import { findTarget } from "./find-target.js";
import type { CliIo } from "./io.js";
import { openConfig } from "./open-config.js";

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A config in a directory of its own whose alert channel's token is `${TELEGRAM_BOT_TOKEN}`, and `env` as the process's. */
function box(env: Record<string, string> = {}): CliIo {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-env-"));
  dirs.push(dir);
  writeFileSync(join(dir, "lifeguard.yaml"), `state: ${join(dir, "state")}
services:
  bot:
    command: [/bin/sleep, "1000"]
alerts:
  phone: { type: telegram, token: "\${TELEGRAM_BOT_TOKEN}", chat: "42" }
`);
  return { stdout: () => {}, stderr: () => {}, env: { PATH: process.env.PATH, ...env }, cwd: dir };
}
const token = async (io: CliIo) => {
  const channel = (await openConfig({}, io)).channels[0];
  return channel?.type === "telegram" ? channel.token : undefined;
};

test("a command typed by hand reads the secrets from the lifeguard.env beside the config, as Lifeguard's unit does; a variable set in the environment wins", async () => {
  const io = box();
  await assert.rejects(openConfig({}, io), (error: ConfigError) => /environment variable "TELEGRAM_BOT_TOKEN" is not set/.test(error.message));
  writeFileSync(join(io.cwd, "lifeguard.env"), "# secrets\nTELEGRAM_BOT_TOKEN='7012345678:AAF-from-file'\n", { mode: 0o600 });
  assert.equal(await token(io), "7012345678:AAF-from-file");
  // status, history, reset and logs find the same config, with the same variables.
  assert.equal((await findTarget({}, { command: "status" }, io)).channels.length, 1);
  assert.equal(await token({ ...io, env: { ...io.env, TELEGRAM_BOT_TOKEN: "from-env" } }), "from-env");
});

test("an environment file that cannot be read is passed over: the variable is then not set, as before", async () => {
  const io = box();
  // What root cannot read either: a directory in its place (a file of mode 000 stops only other users).
  mkdirSync(join(io.cwd, "lifeguard.env"));
  await assert.rejects(openConfig({}, io), (error: ConfigError) => /environment variable "TELEGRAM_BOT_TOKEN" is not set/.test(error.message));
});
