import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePasswd, resolveUser } from "./resolve-user.js";

const PASSWD = ["root:x:0:0:root:/root:/bin/bash", "# a comment:x:1:1:::", "broken line", "bot:x:1001:1002:Trading bot,,,:/home/bot:/bin/sh", ""].join("\n");

test("parsePasswd reads accounts and skips what is not one", () => {
  assert.deepEqual(parsePasswd(PASSWD), [
    { name: "root", uid: 0, gid: 0, home: "/root", shell: "/bin/bash" },
    { name: "bot", uid: 1001, gid: 1002, home: "/home/bot", shell: "/bin/sh" },
  ]);
});

test("resolveUser finds an account by name or uid, and says why when there is none", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-passwd-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "passwd");
  writeFileSync(file, PASSWD);
  assert.deepEqual(resolveUser("bot", file), { name: "bot", uid: 1001, gid: 1002, home: "/home/bot", shell: "/bin/sh" });
  assert.equal((resolveUser("1001", file) as { name: string }).name, "bot");
  assert.deepEqual(resolveUser("ghost", file), { problem: `user "ghost" does not exist (not in ${file})` });
  assert.deepEqual(resolveUser("bot", join(dir, "nope")), { problem: `"${join(dir, "nope")}" cannot be read to find user "bot" (ENOENT)` });
});
