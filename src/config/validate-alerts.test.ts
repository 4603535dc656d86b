import { test } from "node:test";
import assert from "node:assert/strict";
import { formatConfigIssue } from "../core/errors.js";
import type { ChannelConfig } from "./types.js";
import { validateConfig } from "./validate.js";
import { configValidators } from "../testing/validate-helpers.js";

const options = { source: "lifeguard.yaml", baseDir: "/etc/lifeguard" };
const { valid } = configValidators(options);

const SERVICE = "services:\n  trader: { systemd: trader }\n";
const TOKEN = "123456789:AAFake-TelegramToken_0123456789abc";
const SMTP_PASS = "correct-horse-battery";
const SLACK = "https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX";

/** DESIGN.md's example config, with a second and a third service to show the routes. */
const DESIGN_EXAMPLE = `
state: /var/lib/lifeguard
log: { file: /var/log/lifeguard.log, format: text }
http: { listen: 127.0.0.1:9473, token: \${LIFEGUARD_TOKEN} }
services:
  trader:
    systemd: gemini-trader.service
    interval: 30s
    checks:
      - log-fresh: { path: /home/bot/logs/gemini_trader.log, max-age: 5m }
      - log-activity: { path: /home/bot/logs/gemini_trader.log, lines: 100, match: "VIX|Position|Update", min: 1 }
    failure-threshold: 2
    startup-grace: 60s
    restart:
      stop-timeout: 2s
      kill-wait: 1s
      verify-timeout: 30s
      limit: { max: 3, per: 1h }
      backoff: { initial: 10s, max: 5m }
    alerts: [phone]
  scanner: { systemd: scanner.service }
  quiet: { systemd: quiet.service, alerts: [] }
alerts:
  phone: { type: telegram, token: \${TELEGRAM_BOT_TOKEN}, chat: \${TELEGRAM_CHAT_ID} }
  mail:
    type: email
    to: [me@example.com]
    from: lifeguard@pi.local
    smtp: { host: smtp.example.com, port: 587, secure: false, user: me, pass: \${SMTP_PASS} }
  chat: { type: webhook, url: \${SLACK_WEBHOOK_URL}, preset: slack }
  fleet: { type: alertmanager, url: http://127.0.0.1:9093 }
  pager: { type: exec, command: [/usr/local/bin/page-me], timeout: 10s }
`;

const ENV = {
  LIFEGUARD_TOKEN: "lifeguard-token-0123456789",
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_CHAT_ID: "123456789",
  SMTP_PASS,
  SLACK_WEBHOOK_URL: SLACK,
};

const COMMON = { timeoutMs: 10_000, failover: null, failoverAfterMs: 600_000 };

function issuesOf(text: string, env: Record<string, string> = {}): string[] {
  const result = validateConfig(text, { ...options, env });
  if (result.ok) assert.fail("expected the config to be invalid");
  return result.issues.map(formatConfigIssue);
}

/** The one channel `text` (under `alerts:`) declares. */
function channelOf(text: string, env: Record<string, string> = {}): ChannelConfig {
  const { channels } = valid(`${SERVICE}alerts:\n${text}`, env);
  assert.equal(channels.length, 1);
  return channels[0] as ChannelConfig;
}

test("DESIGN.md's example normalises every channel type with its defaults", () => {
  assert.deepEqual(valid(DESIGN_EXAMPLE, ENV).channels, [
    { type: "telegram", name: "phone", ...COMMON, token: TOKEN, chat: "123456789", api: "https://api.telegram.org", commands: null },
    {
      type: "email", name: "mail", ...COMMON, timeoutMs: 30_000, to: ["me@example.com"], from: "lifeguard@pi.local",
      transport: { kind: "smtp", host: "smtp.example.com", port: 587, secure: false, starttls: "auto", user: "me", pass: SMTP_PASS, ca: null },
    },
    { type: "webhook", name: "chat", ...COMMON, url: SLACK, preset: "slack", headers: {} },
    { type: "alertmanager", name: "fleet", ...COMMON, url: "http://127.0.0.1:9093", labels: {}, headers: {} },
    { type: "exec", name: "pager", ...COMMON, command: ["/usr/local/bin/page-me"], env: {} },
  ]);
});

test("a service's alerts go to its listed channels, to every channel without alerts:, to none with alerts: []", () => {
  const routes = valid(DESIGN_EXAMPLE, ENV).services.map((service) => [service.name, service.alerts]);
  assert.deepEqual(routes, [
    ["trader", ["phone"]],
    ["scanner", ["phone", "mail", "chat", "fleet", "pager"]],
    ["quiet", []],
  ]);
  assert.deepEqual(valid(SERVICE).services[0]?.alerts, []);
});

test("an email channel picks its port from secure, and may send with sendmail", () => {
  const smtp = (line: string) => channelOf(`  mail: { type: email, to: me@example.com, from: "Lifeguard <lg@pi.local>", ${line} }\n`);
  assert.deepEqual(smtp("smtp: { host: mx, secure: true }"), {
    type: "email", name: "mail", ...COMMON, timeoutMs: 30_000, to: ["me@example.com"], from: "Lifeguard <lg@pi.local>",
    transport: { kind: "smtp", host: "mx", port: 465, secure: true, starttls: "auto", user: null, pass: null, ca: null },
  });
  const plain = smtp("smtp: { host: mx, starttls: required, ca: certs/ca.pem }");
  assert.deepEqual(plain.type === "email" ? plain.transport : null, {
    kind: "smtp", host: "mx", port: 587, secure: false, starttls: "required", user: null, pass: null, ca: "/etc/lifeguard/certs/ca.pem",
  });
  const sendmail = (line: string) => {
    const channel = smtp(line);
    return channel.type === "email" ? channel.transport : null;
  };
  assert.deepEqual(sendmail("sendmail: true"), { kind: "sendmail", path: "/usr/sbin/sendmail" });
  assert.deepEqual(sendmail("sendmail: bin/msmtp"), { kind: "sendmail", path: "/etc/lifeguard/bin/msmtp" });
});

test("channels take their own timeout, failover and options", () => {
  const text = [
    "  phone: { type: telegram, token: abcdef, chat: \"@alerts\", api: \"https://bot.example/\", timeout: 5s, failover: hook, failover-after: 2m }",
    "  hook: { type: webhook, url: \"https://ntfy.example/topic\", headers: { Authorization: Bearer abc } }",
    "  fleet: { type: alertmanager, url: \"http://am:9093/\", labels: { env: prod } }",
    "  pager: { type: exec, command: [page-me, \"--urgent\"], env: { LEVEL: \"1\" } }",
    "",
  ].join("\n");
  assert.deepEqual(valid(`${SERVICE}alerts:\n${text}`).channels, [
    { type: "telegram", name: "phone", timeoutMs: 5000, failover: "hook", failoverAfterMs: 120_000, token: "abcdef", chat: "@alerts", api: "https://bot.example", commands: null },
    { type: "webhook", name: "hook", ...COMMON, url: "https://ntfy.example/topic", preset: "generic", headers: { Authorization: "Bearer abc" } },
    { type: "alertmanager", name: "fleet", ...COMMON, url: "http://am:9093", labels: { env: "prod" }, headers: {} },
    { type: "exec", name: "pager", ...COMMON, command: ["page-me", "--urgent"], env: { LEVEL: "1" } },
  ]);
});

test("alerting: has defaults in ms, and takes custom values", () => {
  assert.deepEqual(valid(SERVICE).alerting, {
    retry: { initialMs: 30_000, maxMs: 900_000 },
    expireMs: 86_400_000,
    dedupeMs: 600_000,
    flapping: { max: 4, perMs: 900_000 },
    remindMs: null,
    lifecycle: true,
  });
  const custom = "alerting: { retry: { initial: 5s, max: 1m }, expire: 2h, dedupe: 0s, flapping: { max: 2, per: 5m }, remind: 4h, lifecycle: false }\n";
  assert.deepEqual(valid(SERVICE + custom).alerting, {
    retry: { initialMs: 5000, maxMs: 60_000 },
    expireMs: 7_200_000,
    dedupeMs: 0,
    flapping: { max: 2, perMs: 300_000 },
    remindMs: 14_400_000,
    lifecycle: false,
  });
});

test("an unknown channel type gets a did-you-mean and the known types", () => {
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  phone: { type: telegarm, token: x, chat: 1 }\n`), [
    'lifeguard.yaml:4:18: alerts.phone.type: expected "type" to be "email", "telegram", "webhook", "alertmanager" or "exec", got "telegarm"; did you mean "telegram"?',
  ]);
});

test("a channel without a type is told the types it may have", () => {
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  phone: { token: x, chat: 1 }\n`), [
    'lifeguard.yaml:4:3: alerts.phone.type: missing required key "type"; expected "email", "telegram", "webhook", "alertmanager" or "exec"',
  ]);
});

test("an unknown key of a channel is answered from its own type's keys", () => {
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  phone: { type: telegram, tokn: abcdef, chat: 1 }\n`), [
    "lifeguard.yaml:4:3: alerts.phone.token: missing required key; expected a secret string",
    'lifeguard.yaml:4:28: alerts.phone.tokn: unknown key "tokn"; did you mean "token"?',
  ]);
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  mail: { type: email, to: a@b.c, from: a@b.c, smtp: { host: h, password: x } }\n`), [
    'lifeguard.yaml:4:65: alerts.mail.smtp.password: unknown key "password" (known: host, port, secure, starttls, user, pass, ca)',
  ]);
});

test("a route naming an unknown channel lists the known ones with a did-you-mean", () => {
  const text = "services:\n  trader: { systemd: trader, alerts: [phne, phone] }\nalerts:\n  phone: { type: exec, command: [/bin/true] }\n";
  assert.deepEqual(issuesOf(text), ['lifeguard.yaml:2:39: services.trader.alerts[0]: expected the name of a channel under alerts:, got "phne" (known: "phone"; did you mean "phone"?)']);
  assert.deepEqual(issuesOf("services:\n  trader: { systemd: trader, alerts: [phone] }\n"), [
    'lifeguard.yaml:2:39: services.trader.alerts[0]: expected the name of a channel under alerts:, got "phone" (none is configured under alerts:)',
  ]);
});

test("a failover must name another existing channel and never come back", () => {
  const exec = "type: exec, command: [/bin/true]";
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  phone: { ${exec}, failover: phone }\n`), [
    'lifeguard.yaml:4:56: alerts.phone.failover: expected another channel, got the channel itself ("phone")',
  ]);
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  phone: { ${exec}, failover: pagr }\n  pager: { ${exec} }\n`), [
    'lifeguard.yaml:4:56: alerts.phone.failover: expected the name of another channel, got "pagr" (known: "phone", "pager"; did you mean "pager"?)',
  ]);
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  a: { ${exec}, failover: b }\n  b: { ${exec}, failover: a }\n  c: { ${exec}, failover: a }\n`), [
    'lifeguard.yaml:4:52: alerts.a.failover: expected a failover chain that ends, got a loop: "a" → "b" → "a"',
    'lifeguard.yaml:5:52: alerts.b.failover: expected a failover chain that ends, got a loop: "b" → "a" → "b"',
  ]);
});

test("an email channel has exactly one of smtp and sendmail", () => {
  const mail = "type: email, to: me@example.com, from: lg@pi.local";
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  mail: { ${mail} }\n`), ['lifeguard.yaml:4:3: alerts.mail: expected "smtp: { host: ... }" or "sendmail: true", got neither']);
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  mail: { ${mail}, smtp: { host: h }, sendmail: true }\n`), [
    'lifeguard.yaml:4:92: alerts.mail.sendmail: expected either "smtp" or "sendmail", got both',
  ]);
});

test("a malformed email address is quoted back", () => {
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  mail: { type: email, to: [me@example.com, not-an-address], from: lg@pi.local, sendmail: true }\n`), [
    'lifeguard.yaml:4:45: alerts.mail.to[1]: expected an email address like "me@example.com" or "Me <me@example.com>", got "not-an-address"',
  ]);
});

test("a header name with a space is refused", () => {
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  chat: { type: webhook, url: https://h.example/x, headers: { "X Token": abcdef } }\n`), [
    'lifeguard.yaml:4:63: alerts.chat.headers["X Token"]: expected an HTTP header name (letters, digits and "-"), got "X Token"',
  ]);
});

test("an invalid secret is reported without its value", () => {
  const cases: Array<{ text: string; env: Record<string, string>; secret: string; expected: string }> = [
    {
      text: '  phone: { type: telegram, token: "${TG}", chat: 1 }\n', env: { TG: "123:abc\nhidden-part" }, secret: "hidden-part",
      expected: "lifeguard.yaml:4:35: alerts.phone.token: expected a secret on one line, got one with a line break or NUL (the value is not shown)",
    },
    {
      text: '  mail: { type: email, to: a@b.c, from: a@b.c, smtp: { host: h, pass: "${P}" } }\n', env: { P: "hunter2\nhunter3" }, secret: "hunter",
      expected: "lifeguard.yaml:4:71: alerts.mail.smtp.pass: expected a secret on one line, got one with a line break or NUL (the value is not shown)",
    },
    {
      text: '  chat: { type: webhook, url: "${U}" }\n', env: { U: "hooks.slack.com/services/T000/B000/XXXSECRET" }, secret: "XXXSECRET",
      expected: 'lifeguard.yaml:4:31: alerts.chat.url: expected an http:// or https:// URL, got one without a scheme; write "https://" in front (the URL is not shown)',
    },
    {
      text: '  chat: { type: webhook, url: "https://user:pw@hooks.example/SECRETKEY" }\n', env: {}, secret: "SECRETKEY",
      expected: "lifeguard.yaml:4:31: alerts.chat.url: expected an http:// or https:// URL without a user name or password (a secret belongs in the path or a header), got one with them (the URL is not shown)",
    },
    {
      text: '  chat: { type: webhook, url: https://h.example/x, headers: { Authorization: "${H}" } }\n', env: { H: "Bearer tok\nSECRETTAIL" }, secret: "SECRETTAIL",
      expected: "lifeguard.yaml:4:78: alerts.chat.headers.Authorization: expected a secret on one line, got one with a line break or NUL (the value is not shown)",
    },
    {
      // Part of a secret that looks like a reference is not quoted either.
      text: '  phone: { type: telegram, token: "SECRETPART${1x}", chat: 1 }\n', env: {}, secret: "1x",
      expected: 'lifeguard.yaml:4:35: alerts.phone.token: expected the value as written, or a reference like ${NAME}, got a "$" that is neither (the value is not shown; write $$ for a literal "$")',
    },
  ];
  for (const { text, env, secret, expected } of cases) {
    const issues = issuesOf(`${SERVICE}alerts:\n${text}`, env);
    assert.deepEqual(issues, [expected], text);
    assert.ok(!issues.join("\n").includes(secret), `the message shows ${JSON.stringify(secret)}`);
  }
});

test("a secret's unset variable is named", () => {
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  phone: { type: telegram, token: "\${TG}", chat: 1 }\n`), [
    'lifeguard.yaml:4:35: alerts.phone.token: environment variable "TG" is not set (write ${TG:-/fallback} for a default)',
  ]);
});

test("an alertmanager URL is a base URL, without a query", () => {
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  fleet: { type: alertmanager, url: "http://127.0.0.1:9093/?x=1" }\n`), [
    'lifeguard.yaml:4:37: alerts.fleet.url: expected a base URL without "?" or "#", got "http://127.0.0.1:9093/?x=1"',
  ]);
});

test("a channel name with a space is refused", () => {
  assert.deepEqual(issuesOf(`${SERVICE}alerts:\n  my phone: { type: exec, command: [/bin/true] }\n`), [
    'lifeguard.yaml:4:3: alerts["my phone"]: expected a channel name of letters, digits, "_", "." and "-", starting with a letter or digit, got "my phone"',
  ]);
});
