import { test } from "node:test";
import assert from "node:assert/strict";
import { UsageError } from "../../core/errors.js";
import { validateConfig } from "../../config/validate.js";
import { runDialogue, type Discovery } from "./dialogue.js";
import { nextSteps } from "./next-steps.js";
import type { InitFlags, InitPlan } from "./plan.js";
import { flagsAsker, type Asker, type Question } from "./questions.js";
import { referencedSecrets, renderConfig } from "./render-config.js";
import { configMode, decideOverwrite } from "./write-config.js";

const LOG = "/home/bot/gemini-trader-ai/logs/gemini_trader.log";

/** The machine as the dialogue sees it: one running unit whose log is in its working directory. */
function fakeDiscovery(env: Record<string, string> = {}, ownLog = true): Discovery {
  return {
    env, hostname: "pi", now: 1_000_000, state: "/var/lib/lifeguard",
    outputFile: (name) => `/var/lib/lifeguard/${name}.out.log`,
    absolute: (path) => (path.startsWith("/") ? path : `/home/bot/${path}`),
    listUnits: async () => ({ units: ["cron.service", "gemini-trader.service"], problem: null }),
    logCandidates: async () => [
      ...(ownLog ? [{ path: LOG, mtimeMs: 990_000, size: 4096, from: "the unit's WorkingDirectory=", own: true }] : []),
      { path: "/var/log/syslog", mtimeMs: 999_000, size: 90_000, from: "/var/log", own: false },
    ],
    logProblem: (path, options) => (path === LOG || path === "/var/log/syslog" || options?.missingOk === true ? null : "it does not exist"),
    propose: async () => ({
      linesRead: 40,
      match: { pattern: "VIX|Position|Update", why: "words the bot keeps writing" },
      maxAge: { value: "2m", ms: 120_000, why: "the log was written every 20s–35s (40 lines with a time): 3 × the largest gap (35s), rounded up" },
    }),
  };
}

/** A person who answers from a script (question id → typed answer; Enter takes the default). */
function scriptedAsker(answers: Record<string, string>): Asker & { asked: Question[]; said: string[] } {
  const asked: Question[] = [];
  const said: string[] = [];
  return {
    interactive: true, asked, said,
    say: (text) => void said.push(text),
    async ask(question) {
      asked.push(question);
      const typed = answers[question.id] ?? "";
      const value = typed === "" ? (question.default ?? "") : /^\d+$/.test(typed) && question.choices !== undefined ? (question.choices[Number(typed) - 1]?.value ?? typed) : typed;
      const problem = question.check?.(value) ?? null;
      if (problem !== null) throw new Error(`The script's answer to ${question.id} is refused: ${problem}`);
      return value;
    },
  };
}

function validates(plan: InitPlan, env: Record<string, string> = {}) {
  const text = renderConfig(plan, { validateCommand: "lifeguard validate -c /etc/lifeguard/lifeguard.yaml", envFile: "/etc/lifeguard/env" });
  const result = validateConfig(text, { source: "lifeguard.yaml", baseDir: "/etc/lifeguard", env });
  assert.ok(result.ok, result.ok ? "" : result.issues.map((issue) => `${issue.path}: ${issue.message}`).join("\n") + `\n${text}`);
  return { text, config: result.config };
}

test("a person's answers: the running unit, its own log, the proposals, Telegram", async () => {
  const asker = scriptedAsker({ service: "2", alert: "1", "telegram-chat": "123456789", TELEGRAM_BOT_TOKEN: "12345:secret" });
  const plan = await runDialogue({}, asker, fakeDiscovery());
  assert.deepEqual(asker.asked.map((q) => q.id), ["service", "name", "log", "match", "max-age", "alert", "telegram-chat", "TELEGRAM_BOT_TOKEN", "literal-secrets"]);
  assert.deepEqual(asker.asked[0]?.choices?.map((c) => c.value), ["cron.service", "gemini-trader.service"]);
  assert.equal(asker.asked[2]?.default, LOG);
  assert.ok(asker.said.includes("Proposed max-age 2m: the log was written every 20s–35s (40 lines with a time): 3 × the largest gap (35s), rounded up."), asker.said.join("\n"));
  const { text, config } = validates(plan, { TELEGRAM_BOT_TOKEN: "12345:from-env" });
  assert.match(text, /# .*max-age 2m: the log was written every 20s–35s/);
  assert.match(text, /token: "\$\{TELEGRAM_BOT_TOKEN\}"/);
  assert.equal(text.includes("12345:secret"), false, "the typed secret stays out of the file");
  const [service] = config.services;
  assert.equal(service?.name, "gemini-trader");
  assert.deepEqual(service?.checks.map((check) => check.id), ["running", "log-fresh", "log-activity"]);
  assert.deepEqual(referencedSecrets(plan), ["TELEGRAM_BOT_TOKEN"]);
});

test("every channel kind, from flags alone, writes a file that validates", async () => {
  const base: InitFlags = { unit: "gemini-trader", log: LOG };
  const cases: Array<[InitFlags, Record<string, string>]> = [
    [{ alert: "none" }, {}],
    [{ alert: "telegram", telegramChat: "-1001234" }, { TELEGRAM_BOT_TOKEN: "t" }],
    [{ alert: "email", emailTo: "me@example.com" }, {}],
    [{ alert: "email", emailTo: "me@example.com", smtpHost: "smtp.example.com", smtpPort: "465", smtpUser: "me" }, { SMTP_PASS: "p" }],
    [{ alert: "webhook", webhookPreset: "slack" }, { SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x" }],
    [{ alert: "alertmanager" }, {}],
    [{ alert: "exec", exec: "/usr/local/bin/page-me" }, {}],
  ];
  for (const [flags, env] of cases) {
    const plan = await runDialogue({ ...base, ...flags }, flagsAsker(() => undefined, "stdin is not a terminal"), fakeDiscovery());
    const { config } = validates(plan, env);
    assert.deepEqual(config.channels.map((channel) => channel.type), flags.alert === "none" ? [] : [flags.alert], JSON.stringify(flags));
  }
});

test("a missing answer without a terminal is a usage error naming its flag; a bad flag names itself", async () => {
  const asker = flagsAsker(() => undefined, "stdin is not a terminal");
  await assert.rejects(runDialogue({ unit: "trader" }, asker, fakeDiscovery({}, false)), (error: Error) => error instanceof UsageError && /^Cannot write the configuration without --log PATH: stdin is not a terminal/.test(error.message));
  await assert.rejects(runDialogue({ unit: "trader", log: LOG }, asker, fakeDiscovery()), /without --alert KIND/);
  await assert.rejects(runDialogue({ unit: "trader", log: LOG, alert: "pigeon" }, asker, fakeDiscovery()), /^UsageError: Cannot use --alert "pigeon": expected one of telegram, email, webhook, alertmanager, exec, none$/);
  await assert.rejects(runDialogue({ unit: "trader", log: "/nope" }, asker, fakeDiscovery()), /Cannot use --log "\/nope": it does not exist/);
  await assert.rejects(runDialogue({ unit: "trader", log: LOG, maxAge: "soon" }, asker, fakeDiscovery()), /Cannot use --max-age "soon": expected a duration/);
  await assert.rejects(runDialogue({ unit: "trader", log: LOG, match: "(a" }, asker, fakeDiscovery()), /Cannot use --match "\(a"/);
  await assert.rejects(runDialogue({}, asker, fakeDiscovery()), /without --unit NAME or --command CMD\.\.\./);
});

test("literal values keep their $; a secret written as is makes the file 0600", async () => {
  const flags: InitFlags = { unit: "bot", log: LOG, match: String.raw`cost \$5|Update$|\${x}`, alert: "telegram", telegramChat: "42", literalSecrets: true };
  const plan = await runDialogue(flags, flagsAsker(() => undefined, "no terminal"), fakeDiscovery({ TELEGRAM_BOT_TOKEN: "123:$ecret" }));
  const { text, config } = validates(plan);
  assert.equal((config.services[0]?.checks[2] as { match?: string } | undefined)?.match, String.raw`cost \$5|Update$|\${x}`);
  assert.equal((config.channels[0] as { token?: string }).token, "123:$ecret");
  assert.match(text, /# A secret, written here as you asked/);
  assert.deepEqual(referencedSecrets(plan), []);
  assert.equal(configMode(true), 0o600);
  assert.equal(configMode(false), 0o640);
});

test("a command: its captured output is the log, and `run` is the next step", async () => {
  const asker = scriptedAsker({ alert: "6" });
  const plan = await runDialogue({ command: ["python3", "main.py"] }, asker, fakeDiscovery());
  assert.equal(plan.log.path, "/var/lib/lifeguard/python3.out.log");
  assert.ok(asker.said.includes("Nothing to read in /var/lib/lifeguard/python3.out.log yet, so there is no proposal from it."));
  validates(plan);
  const steps = nextSteps({ configPath: "/srv/bot/lifeguard.yaml", secrets: [], envFile: "/srv/bot/lifeguard.env", viaSudo: false, supervised: true, unitToWrite: false, root: false });
  assert.equal(steps[1], "  lifeguard run -c /srv/bot/lifeguard.yaml   # start supervising it (Ctrl-C stops)");
});

test("a bot without a unit: --unit with --command (and --run-as, --workdir, --memory-max, --cpu-quota) gives it the install-unit: install writes", async () => {
  const flags: InitFlags = { unit: "gemini-trader", command: ["/usr/bin/python3", "main.py"], runAs: "bot", workdir: "gemini-trader-ai", memoryMax: "1G", cpuQuota: "80%", log: LOG, alert: "none" };
  const plan = await runDialogue(flags, flagsAsker(() => undefined, "stdin is not a terminal"), fakeDiscovery());
  const { text, config } = validates(plan);
  assert.match(text, /^ {4}install-unit:\n(?: {6}#.*\n)* {6}exec-start: \["\/usr\/bin\/python3", "main\.py"\]\n {6}user: "bot"\n {6}working-directory: "\/home\/bot\/gemini-trader-ai"\n/m);
  const runner = config.services[0]?.runner;
  assert.equal(runner?.kind, "systemd");
  assert.deepEqual(runner?.kind === "systemd" ? runner.installUnit : null, {
    execStart: ["/usr/bin/python3", "main.py"], description: null, user: "bot", group: null, workingDirectory: "/home/bot/gemini-trader-ai", environment: {}, environmentFile: null,
    memoryMaxBytes: 1024 ** 3, cpuQuotaPercent: 80, restartMs: 5000, startLimit: { burst: 5, intervalMs: 600_000 },
  });
  // Before install the unit does not exist: the trial is install's dry run, not a round.
  const steps = nextSteps({ configPath: "/etc/lifeguard/lifeguard.yaml", secrets: [], envFile: "/etc/lifeguard/env", viaSudo: false, supervised: false, unitToWrite: true, root: false });
  assert.deepEqual(steps.slice(-2), [
    "  lifeguard install --dry-run -c /etc/lifeguard/lifeguard.yaml   # every file install would write, the bot's unit among them, changing nothing",
    "  sudo lifeguard install -c /etc/lifeguard/lifeguard.yaml   # write the bot's unit and Lifeguard's, and run both for good, from boot on",
  ]);

  const asker = flagsAsker(() => undefined, "stdin is not a terminal");
  // A bot that never ran has no log yet: it comes with the unit's first start.
  const fresh = await runDialogue({ ...flags, log: "/home/bot/gemini-trader-ai/logs/new.log" }, asker, fakeDiscovery());
  assert.equal(fresh.log.path, "/home/bot/gemini-trader-ai/logs/new.log");
  await assert.rejects(runDialogue({ unit: "trader", log: "/home/bot/gemini-trader-ai/logs/new.log", alert: "none" }, asker, fakeDiscovery()), /it does not exist/);
  await assert.rejects(runDialogue({ unit: "trader", memoryMax: "1G", log: LOG, alert: "none" }, asker, fakeDiscovery()), /^UsageError: Cannot use --memory-max without both --unit and --command: they describe the unit `lifeguard install` writes for the command$/);
  await assert.rejects(runDialogue({ command: ["python3"], runAs: "bot", cpuQuota: "80%", log: LOG, alert: "none" }, asker, fakeDiscovery()), /Cannot use --run-as, --cpu-quota without both --unit and --command/);
  await assert.rejects(runDialogue({ ...flags, memoryMax: "lots" }, asker, fakeDiscovery()), /Cannot read --memory-max "lots": expected a size of at least 1MiB/);
  await assert.rejects(runDialogue({ ...flags, cpuQuota: "0%" }, asker, fakeDiscovery()), /Cannot read --cpu-quota "0%": expected a percentage of one CPU above 0/);
});

test("an existing file is replaced only when a person says so or --force does", () => {
  assert.equal(decideOverwrite(false, { interactive: false, force: false }), "write");
  assert.equal(decideOverwrite(true, { interactive: true, force: false }), "ask");
  assert.equal(decideOverwrite(true, { interactive: false, force: false }), "refuse");
  assert.equal(decideOverwrite(true, { interactive: false, force: true }), "write");
  assert.equal(decideOverwrite(true, { interactive: true, force: true }), "write");
});

test("next steps are commands that work as printed: -c, where the secrets go (every command reads them there), sudo when init had it", () => {
  const input = { configPath: "/etc/lifeguard/lifeguard.yaml", secrets: ["TELEGRAM_BOT_TOKEN"], envFile: "/etc/lifeguard/env", supervised: false, unitToWrite: false, root: true };
  assert.deepEqual(nextSteps({ ...input, viaSudo: false }), [
    "Put the secret in /etc/lifeguard/env, one NAME=value a line, readable by its owner only (Lifeguard reads it there):",
    "  install -m 600 /dev/null /etc/lifeguard/env   # then edit it: TELEGRAM_BOT_TOKEN=...",
    "Then:",
    "  lifeguard validate -c /etc/lifeguard/lifeguard.yaml   # check the file",
    "  lifeguard check --dry-run -c /etc/lifeguard/lifeguard.yaml   # one round: what Lifeguard sees and would do, changing nothing",
    "  lifeguard install -c /etc/lifeguard/lifeguard.yaml   # run it for good, from boot on (--dry-run first shows every file it writes)",
  ]);
  // install needs root: a user who is not gets it with sudo.
  assert.equal(nextSteps({ ...input, viaSudo: false, root: false }).at(-1), "  sudo lifeguard install -c /etc/lifeguard/lifeguard.yaml   # run it for good, from boot on (--dry-run first shows every file it writes)");
  assert.equal(nextSteps({ ...input, viaSudo: false, root: false })[3], "  lifeguard validate -c /etc/lifeguard/lifeguard.yaml   # check the file");
  const sudo = nextSteps({ ...input, viaSudo: true });
  assert.equal(sudo[1], "  sudo install -m 600 /dev/null /etc/lifeguard/env   # then edit it: TELEGRAM_BOT_TOKEN=...");
  assert.equal(sudo[3], "  sudo lifeguard validate -c /etc/lifeguard/lifeguard.yaml   # check the file");
  assert.equal(nextSteps({ ...input, secrets: [], viaSudo: true })[0], "  sudo lifeguard validate -c /etc/lifeguard/lifeguard.yaml   # check the file");
});
