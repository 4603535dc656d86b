// The daemon's memory floor: what the idle bench's daemon does for 1 service, without Lifeguard.
// An HTTP server on loopback, one supervised sleeping child, a SQLite store (better-sqlite3, WAL)
// written once a second, the service's log stat()ed once a second and watched for writes.
// Usage: node floor.cjs DIR LOG [V8-FLAG...]; the V8 flags are set first, as the launcher sets
// its own for `run` (the bench passes the same ones). Prints the child's pid on its first line
// (for the bench to end it by PID), ends the child on SIGTERM.
"use strict";
for (const flag of process.argv.slice(4)) require("node:v8").setFlagsFromString(flag);
const { spawn } = require("node:child_process");
const { watch } = require("node:fs");
const { stat } = require("node:fs/promises");
const { createServer } = require("node:http");
const { join } = require("node:path");
const Database = require("better-sqlite3");

const [dir, log] = process.argv.slice(2, 4);
const db = new Database(join(dir, "floor.db"));
db.pragma("journal_mode = WAL");
db.exec("CREATE TABLE IF NOT EXISTS rounds (service TEXT PRIMARY KEY, state TEXT NOT NULL)");
const write = db.prepare("INSERT OR REPLACE INTO rounds (service, state) VALUES (?, ?)");
createServer((request, response) => response.end("ok\n")).listen(0, "127.0.0.1");
const child = spawn("/bin/sleep", ["100000"], { stdio: "ignore" });
process.stdout.write(`${child.pid}\n`);
watch(log, () => {});
setInterval(async () => {
  const { mtimeMs } = await stat(log);
  write.run("svc", JSON.stringify({ at: Date.now(), mtimeMs }));
}, 1000);
process.on("SIGTERM", () => {
  child.kill("SIGKILL");
  process.exit(0);
});
