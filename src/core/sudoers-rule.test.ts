import { test } from "node:test";
import assert from "node:assert/strict";
import { sudoersRule, sudoersWord } from "./sudoers-rule.js";

test("a word is escaped as sudoers and then fnmatch(3) read it: : = , once, a backslash twice over", () => {
  assert.equal(sudoersWord("--kill-whom=all"), "--kill-whom\\=all");
  assert.equal(sudoersWord("web@a:b.service"), "web@a\\:b.service");
  // systemd's escape of "-" in a unit name: sudoers makes "\\\\" of it "\\", which fnmatch reads as one "\".
  assert.equal(sudoersWord("lg\\x2dweb.service"), "lg\\\\\\\\x2dweb.service");
  for (const word of ["web*.service", "a b.service", "it's.service", "#1.service", "web?.service", "[x].service", "a,b.service"]) {
    assert.throws(() => sudoersWord(word), /cannot be written in a sudoers rule/, word);
  }
});

test("the drop-in names every verb of every unit, one exact command line a rule, and nothing else", () => {
  assert.deepEqual(sudoersRule("lifeguard", ["a.service", "b.service"], "/usr/bin/systemctl", ["Written by test"]), [
    "# Written by test",
    "# User lifeguard may run these systemctl command lines as root without a password, exactly as Lifeguard's",
    "# runner runs them (privilege: sudo): start, stop, kill and reset the units it watches, and no other unit.",
    "Defaults:lifeguard !requiretty",
    "lifeguard ALL=(root) NOPASSWD: /usr/bin/systemctl start --no-ask-password -- a.service",
    "lifeguard ALL=(root) NOPASSWD: /usr/bin/systemctl stop --no-block --no-ask-password -- a.service",
    "lifeguard ALL=(root) NOPASSWD: /usr/bin/systemctl kill --kill-whom\\=all --signal\\=SIGKILL --no-ask-password -- a.service",
    "lifeguard ALL=(root) NOPASSWD: /usr/bin/systemctl reset-failed --no-ask-password -- a.service",
    "lifeguard ALL=(root) NOPASSWD: /usr/bin/systemctl start --no-ask-password -- b.service",
    "lifeguard ALL=(root) NOPASSWD: /usr/bin/systemctl stop --no-block --no-ask-password -- b.service",
    "lifeguard ALL=(root) NOPASSWD: /usr/bin/systemctl kill --kill-whom\\=all --signal\\=SIGKILL --no-ask-password -- b.service",
    "lifeguard ALL=(root) NOPASSWD: /usr/bin/systemctl reset-failed --no-ask-password -- b.service",
  ]);
});

test("a user sudoers would read as something else, or a relative systemctl, is refused", () => {
  for (const user of ["ALL", "ADMINS", "#0", "a b", "%sudo", "+group"]) assert.throws(() => sudoersRule(user, ["a.service"], "/usr/bin/systemctl"), /cannot be written in a sudoers rule/, user);
  assert.doesNotThrow(() => sudoersRule("svc-lifeguard.2", ["a.service"], "/usr/bin/systemctl"));
  assert.throws(() => sudoersRule("lifeguard", ["a.service"], "systemctl"), /absolute path/);
});
