import { test } from "node:test";
import assert from "node:assert/strict";
import { createPollTrouble } from "./poll-trouble.js";

const WHAT = 'the commands of Telegram channel "phone" at "https://api.telegram.org"';
const refused = { kind: "unreachable", cause: "the connection was refused (ECONNREFUSED)" } as const;

test("a failure is said once, however often it repeats; the waits grow to 30s; the recovery is said once", () => {
  const trouble = createPollTrouble(WHAT);
  assert.equal(trouble.recovered(0), null, "nothing to say while it works");
  const first = trouble.failed(refused, 1000);
  assert.deepEqual(first, { log: { tag: "WARN", message: `Cannot read ${WHAT} as the connection was refused (ECONNREFUSED); trying again, at least every 30s` }, waitMs: 1000 });
  const waits = [2, 3, 4, 5, 6, 7].map((n) => trouble.failed(refused, n * 1000));
  assert.deepEqual(waits.map((failed) => failed.log), [null, null, null, null, null, null]);
  assert.deepEqual(waits.map((failed) => failed.waitMs), [2000, 4000, 8000, 16_000, 30_000, 30_000]);
  // The network failing another way is the same trouble; an answer is news.
  assert.equal(trouble.failed({ kind: "timed-out", afterMs: 60_000 }, 8000).log, null);
  assert.equal(trouble.failed({ kind: "refused", status: 502, description: "Bad Gateway" }, 8000).log?.message, `Cannot read ${WHAT} as it answered 502 Bad Gateway; trying again, at least every 30s`);
  assert.deepEqual(trouble.recovered(121_000), { tag: "INFO", message: `Reading ${WHAT} again, after 2m of failures` });
  assert.equal(trouble.recovered(122_000), null);
  assert.equal(trouble.failed(refused, 130_000).waitMs, 1000, "a new trouble starts its waits over");
});

test("409 says another program reads the bot's updates; a 429 waits Telegram's retry_after", () => {
  const trouble = createPollTrouble(WHAT);
  const conflict = trouble.failed({ kind: "refused", status: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" }, 0);
  assert.equal(conflict.log?.message, `Cannot read ${WHAT} as it answered 409 Conflict: terminated by other getUpdates request; make sure that only one bot instance is running (another program reads this bot's updates: Telegram gives them to one reader; stop the other one, maybe another Lifeguard taking commands with this bot, or delete the bot's webhook); trying again, at least every 30s`);
  const flood = (retryAfter: number) => trouble.failed({ kind: "refused", status: 429, description: `Too Many Requests: retry after ${retryAfter}`, retryAfterMs: retryAfter * 1000 }, 0);
  const first = flood(40);
  assert.deepEqual([first.log?.tag, first.waitMs], ["WARN", 40_000], "Telegram's wait, longer than the second failure's 2s");
  const again = flood(3);
  assert.deepEqual([again.log, again.waitMs], [null, 4000], "the same trouble is not said again; the longer wait wins (4s of the third failure)");
});

test("a refused token (401, 404) stops reading with one ERROR", () => {
  for (const status of [401, 404]) {
    const failed = createPollTrouble(WHAT).failed({ kind: "refused", status, description: status === 401 ? "Unauthorized" : "Not Found" }, 0);
    assert.equal(failed.waitMs, null);
    assert.equal(failed.log?.tag, "ERROR");
    assert.match(failed.log?.message ?? "", new RegExp(`^Cannot read .* as it answered ${status} \\w+( \\w+)?; the bot token was refused \\(check \`token\`\\): commands stay off until Lifeguard reloads or restarts$`));
  }
});
