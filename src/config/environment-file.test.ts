import { test } from "node:test";
import assert from "node:assert/strict";
import { environmentFilesOf, parseEnvironmentFile } from "./environment-file.js";

test("an environment file reads as systemd reads it: comments, whitespace, quotes, escapes, continued lines; no $ expanded", () => {
  const text = [
    "# Lifeguard's secrets",
    "; also a comment",
    "",
    "TELEGRAM_BOT_TOKEN=7012345678:AAF-example",
    "  SPACED =  value with  inner  spaces  ",
    "SINGLE='  kept as $IS \\n '",
    'DOUBLE="say \\"hi\\" \\$HOME \\\\ \\q"',
    "ESCAPED=a\\ b\\\\c\\",
    "continued",
    "EMPTY=",
    "MIXED='a b'c",
    "MULTI=\"one",
    "two\"",
    "not an assignment",
    "1BAD=x",
    "export EXPORTED=no",
    "LAST=wins",
    "LAST=it does\r",
  ].join("\n");
  assert.deepEqual(parseEnvironmentFile(text), {
    TELEGRAM_BOT_TOKEN: "7012345678:AAF-example",
    SPACED: "value with  inner  spaces",
    SINGLE: "  kept as $IS \\n ",
    DOUBLE: 'say "hi" $HOME \\ \\q',
    ESCAPED: "a b\\ccontinued",
    EMPTY: "",
    MIXED: "a bc",
    MULTI: "one\ntwo",
    LAST: "it does",
  });
});

test("a config's environment files: /etc/lifeguard/env, then lifeguard.env beside a config kept elsewhere", () => {
  assert.deepEqual(environmentFilesOf("/etc/lifeguard/lifeguard.yaml"), ["/etc/lifeguard/env"]);
  assert.deepEqual(environmentFilesOf("/home/bot/lifeguard.yaml"), ["/etc/lifeguard/env", "/home/bot/lifeguard.env"]);
});
