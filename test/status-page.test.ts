// The status page as a person sees it: a real Lifeguard with a bot that crashed once, in a real
// headless Chromium (Debian's package, driven by playwright-core): the timeline and the restart,
// the sign-in, a restart through the confirmation, forged and token-less posts refused, a log line
// that tries to inject a script. Screenshots at desktop and phone sizes go to test/artifacts/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { waitFor } from "../src/testing/wait-for.js";
import { botFiles, daemonConfig, daemonFiles, sleeperCommand, startDaemon, statusUrl } from "./support/daemon.js";
import { REPO } from "./support/lab.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(REPO, "test", "artifacts");
const TOKEN = "status-page-test-token-0123456789";
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
/** A log line that would run a script, were any text of a service put into the page unescaped. */
const EVIL_LINE = `tick <script>document.title = "pwned"</script><img src=x onerror="document.title='pwned'">`;

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (Debian's chromium package, which .ci/run installs)`;

test("the status page in Chromium: timeline and restart of a crashed bot, sign-in, a confirmed restart, forged and token-less posts refused, screenshots", { skip }, async (t) => {
  const files = daemonFiles("lifeguard-page-");
  const { pidFile, bot } = botFiles(files);
  const botLog = join(files.dir, "activity.log");
  writeFileSync(botLog, `${EVIL_LINE}\n`);
  const service = { command: sleeperCommand(pidFile, join(files.dir, "crashed-once")), interval: "1s", checks: [{ "log-activity": { path: botLog, match: "tick", lines: 10 } }] };
  const daemon = startDaemon(t, files, daemonConfig(files, { http: { listen: "127.0.0.1:0", token: TOKEN }, services: { bot: service } }), [bot]);
  assert.ok(await waitFor(() => bot.current() !== null && statusUrl(daemon.log()) !== undefined, WAIT), daemon.log());
  const base = statusUrl(daemon.log()) as string;
  assert.ok(await waitFor(async () => (await historyRestarts(base)).length === 1, WAIT), "the crash was answered by a restart in the history");

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const card = page.locator("section#service-bot");

  // Without a sign-in: the name, the state, the day with its restart mark; no evidence, no buttons.
  await page.goto(`${base}/`);
  assert.equal(await card.locator("h2").textContent(), "bot");
  assert.equal(await card.locator("svg.timeline .mark").count(), 1);
  assert.ok(await card.locator("svg.timeline rect.band.healthy").count() >= 1);
  assert.match((await card.locator("svg.timeline").getAttribute("aria-label")) ?? "", /^The last 24h of "bot": 1 restart$/);
  assert.equal(await page.locator("form[action^='/services/']").count(), 0);
  assert.equal((await page.content()).includes("pwned"), false, "no log line without the token");
  const before = bot.current();
  const anonymous = await page.request.post(`${base}/services/bot/restart`, { form: { confirm: "yes" }, maxRedirects: 0 });
  assert.equal(anonymous.status(), 403, "control without a sign-in");

  // Sign in with the token: evidence (the script is text), the restart with its steps.
  await page.click("text=Sign in");
  await page.fill("#token", TOKEN);
  await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);
  assert.match((await page.locator("form[action='/sign-out']").textContent()) ?? "", /Signed in/);
  assert.ok(((await card.locator("pre").first().textContent()) ?? "").includes(EVIL_LINE), "the log line, shown as text");
  assert.equal(await page.title(), "Lifeguard", "the injected script did not run");
  assert.equal(await page.locator("script, img").count(), 0);
  const restartEntry = card.locator("details summary", { hasText: "restarted in" });
  assert.equal(await restartEntry.count(), 1);
  assert.match((await restartEntry.textContent()) ?? "", / · Service "bot" is not active: "failed" · restarted in \d+(ms|s) · attempt 1 of 3$/);
  await restartEntry.click();
  assert.ok(await card.locator("details[open] ol li").count() >= 3, "its steps: stop, kill, start, verify");
  const shots = [await screenshot(page, "status-page-desktop", { width: 1280, height: 800 }), await screenshot(page, "status-page-phone", { width: 390, height: 844 })];
  await page.emulateMedia({ colorScheme: "dark" });
  shots.push(await screenshot(page, "status-page-phone-dark", { width: 390, height: 844 }));
  await page.emulateMedia({ colorScheme: "light" });
  t.diagnostic(`screenshots: ${shots.join(", ")}`);

  // Forged posts, with the browser's session cookie: no anti-forgery token, or a form of another site.
  assert.equal((await page.request.post(`${base}/services/bot/restart`, { form: { confirm: "yes" }, maxRedirects: 0 })).status(), 403);
  const csrf = (await card.locator("input[name=csrf]").first().getAttribute("value")) as string;
  assert.equal((await page.request.post(`${base}/services/bot/restart`, { form: { csrf, confirm: "yes" }, headers: { origin: "http://evil.example" }, maxRedirects: 0 })).status(), 403);
  const evil = await startEvilSite(`${base}/services/bot/restart`);
  t.after(() => evil.close());
  await page.goto(evil.url);
  await Promise.all([page.waitForURL(`${base}/services/bot/restart`), page.click("button")]);
  assert.match((await page.locator("h2").textContent()) ?? "", /Refused/);
  assert.equal(bot.current(), before, "nothing was restarted");

  // The restart button asks first; only the confirmation restarts, and the page says so.
  await page.goto(`${base}/`);
  await Promise.all([page.waitForURL(`${base}/services/bot/restart`), card.locator("form[action='/services/bot/restart'] button").click()]);
  assert.equal(await page.locator("h2").textContent(), 'Restart "bot"?');
  assert.equal(bot.current(), before, "not before the confirmation");
  await Promise.all([page.waitForURL(/\/\?outcome=/), page.click("button.primary")]);
  assert.ok(await waitFor(() => bot.current() !== null && bot.current() !== before, WAIT), "a new pid");
  assert.match((await page.locator("[role=status]").textContent()) ?? "", /^Restarted "bot" at the request of status page \(127\.0\.0\.1\)/);
  assert.equal(await card.locator("details summary", { hasText: "requested by status page (127.0.0.1)" }).count(), 1);
  assert.equal(await card.locator("svg.timeline .mark").count(), 2);
  assert.equal((await historyRestarts(base)).length, 2);
  await context.close();
});

/** The restarts `/api/history` lists. */
async function historyRestarts(base: string): Promise<unknown[]> {
  const response = await fetch(`${base}/api/history`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const { entries } = (await response.json()) as { entries: Array<{ type: string }> };
  return entries.filter((entry) => entry.type === "restart");
}

/** A full-page screenshot at `viewport`, in test/artifacts/ (git-ignored); its path. */
async function screenshot(page: Page, name: string, viewport: { width: number; height: number }): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.setViewportSize(viewport);
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Another site on loopback (another port: the same site to the browser, which sends the
 * SameSite cookie, but another origin): a page whose button posts a restart to Lifeguard.
 */
async function startEvilSite(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.setHeader("content-type", "text/html");
    response.end(`<form method="post" action="${target}"><input type="hidden" name="confirm" value="yes"><input type="hidden" name="csrf" value="guessed"><button>Win a prize</button></form>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
