import { answer, type Asker } from "./questions.js";
import { ALERT_KINDS, type AlertKind, type ChannelPlan, type InitFlags, type Secret } from "./plan.js";

/** What the channel questions read besides the answers. */
export interface ChannelContext {
  /** A secret's variable already set here is used for the test alert. */
  env: Readonly<Record<string, string | undefined>>;
  hostname: string;
}

const LABELS: Record<AlertKind, string> = {
  telegram: "telegram: a Telegram bot writes to your chat",
  email: "email: by SMTP or the local sendmail",
  webhook: "webhook: Slack, Discord, ntfy or any URL that takes JSON",
  alertmanager: "alertmanager: Prometheus Alertmanager",
  exec: "exec: a program of yours, run for each alert",
  none: "none: no alerts for now",
};
const WEBHOOK_PRESETS = ["generic", "slack", "discord", "ntfy"] as const;
const WEBHOOK_VARIABLES: Record<(typeof WEBHOOK_PRESETS)[number], string> = { generic: "WEBHOOK_URL", slack: "SLACK_WEBHOOK_URL", discord: "DISCORD_WEBHOOK_URL", ntfy: "NTFY_URL" };
const ADDRESS = /^[^<>@\s]+@[^<>@\s]+$/;

/** Where alerts go and that channel's settings; null for none. Secrets become `${VAR}` references. */
export async function askChannel(flags: InitFlags, asker: Asker, context: ChannelContext): Promise<ChannelPlan | null> {
  const kinds: readonly string[] = ALERT_KINDS;
  const kind = (await answer(asker, {
    id: "alert", text: "Where should alerts go?", flag: "--alert KIND",
    choices: ALERT_KINDS.map((value) => ({ value, label: LABELS[value] })),
    check: (value) => (kinds.includes(value) ? null : `expected one of ${ALERT_KINDS.join(", ")}`),
  }, flags.alert)) as AlertKind;
  const ask = (id: string, text: string, flag: string, given: string | undefined, options: { default?: string; check?: (value: string) => string | null } = {}) =>
    answer(asker, { id, text, flag, ...options }, given);
  const secret = (variable: string, text: string) => askSecret(asker, context, variable, text);
  switch (kind) {
    case "none":
      return null;
    case "telegram": {
      const chat = await ask("telegram-chat", "Telegram chat id (a number, -100... for a group, or @channel)", "--telegram-chat ID", flags.telegramChat, { check: (value) => (/^(-?\d+|@\w{4,})$/.test(value) ? null : "expected a chat id such as 123456789, or @channelname") });
      const token = await secret("TELEGRAM_BOT_TOKEN", "The bot's token from @BotFather");
      return {
        type: "telegram", name: "telegram", settings: { token, chat },
        comments: { chat: "The chat the bot writes to. Its id: send your bot a message, then read it in https://api.telegram.org/bot<token>/getUpdates." },
        about: "Telegram: a bot sends each alert to your chat (docs/alerts/telegram.md).",
      };
    }
    case "email": {
      const check = (value: string) => (ADDRESS.test(value) ? null : 'expected an email address like "me@example.com"');
      const to = await ask("email-to", "Send alerts to which address?", "--email-to ADDRESS", flags.emailTo, { check });
      const from = await ask("email-from", "From which address?", "--email-from ADDRESS", flags.emailFrom, { default: `lifeguard@${context.hostname}`, check });
      const host = await ask("smtp-host", "SMTP server's host name (empty: the local sendmail)", "--smtp-host HOST", flags.smtpHost, { default: "" });
      const about = "Email: one message per alert, short enough for a phone (docs/alerts/email.md).";
      if (host === "") return { type: "email", name: "email", settings: { to, from, sendmail: true }, comments: { sendmail: "Sent by the local sendmail program (postfix, exim or msmtp-mta provide it)." }, about };
      const port = await ask("smtp-port", "SMTP port (587: STARTTLS, 465: TLS)", "--smtp-port PORT", flags.smtpPort, { default: "587", check: (value) => (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535 ? null : "expected a port from 1 to 65535") });
      const user = await ask("smtp-user", "SMTP user name (empty: no login)", "--smtp-user USER", flags.smtpUser, { default: "" });
      const smtp = { host, port: Number(port), ...(port === "465" ? { secure: true } : {}), ...(user === "" ? {} : { user, pass: await secret("SMTP_PASS", "The SMTP password") }) };
      return { type: "email", name: "email", settings: { to, from, smtp }, comments: {}, about };
    }
    case "webhook": {
      const presets: readonly string[] = WEBHOOK_PRESETS;
      const preset = (await answer(asker, {
        id: "webhook-preset", text: "Which kind of webhook?", flag: "--webhook-preset PRESET", default: "generic",
        choices: WEBHOOK_PRESETS.map((value) => ({ value, label: value === "generic" ? "generic: Lifeguard's own JSON" : `${value}: an incoming webhook of ${value}` })),
        check: (value) => (presets.includes(value) ? null : `expected one of ${WEBHOOK_PRESETS.join(", ")}`),
      }, flags.webhookPreset)) as (typeof WEBHOOK_PRESETS)[number];
      const url = await secret(WEBHOOK_VARIABLES[preset], "The webhook's URL");
      return { type: "webhook", name: "webhook", settings: { url, preset }, comments: {}, about: "A webhook: each alert is POSTed as JSON (docs/alerts/webhook.md). Its URL holds its key: a secret." };
    }
    case "alertmanager": {
      const url = await ask("alertmanager-url", "Alertmanager's URL", "--alertmanager-url URL", flags.alertmanagerUrl, { default: "http://127.0.0.1:9093", check: (value) => (/^https?:\/\/\S+$/.test(value) ? null : "expected an http:// or https:// URL") });
      return { type: "alertmanager", name: "alertmanager", settings: { url }, comments: {}, about: "Prometheus Alertmanager: alerts fire and resolve there, to be routed and silenced (docs/alerts/alertmanager.md)." };
    }
    case "exec": {
      const program = await ask("exec", "The program to run for each alert (its absolute path)", "--exec PROGRAM", flags.exec, { check: (value) => (value.startsWith("/") ? null : "expected an absolute path such as /usr/local/bin/page-me") });
      return { type: "exec", name: "exec", settings: { command: [program] }, comments: { command: "Run for each alert, never through a shell: the alert is in its LIFEGUARD_ALERT_* variables and, as JSON, on its standard input." }, about: "A program of yours (docs/alerts/exec.md)." };
    }
  }
}

/**
 * A secret as a `${variable}` reference. Its value, for the test alert (or the file, if the user
 * insists): the variable's when it is set, else typed at a terminal (Enter: none); never a flag,
 * which every user of the machine could read in `ps`.
 */
async function askSecret(asker: Asker, context: ChannelContext, variable: string, text: string): Promise<Secret> {
  const set = context.env[variable];
  if (set !== undefined && set !== "") {
    asker.say(`${variable} is set here: the file refers to it as \${${variable}}.`);
    return { secret: variable, value: set };
  }
  if (!asker.interactive) return { secret: variable };
  const typed = await asker.ask({ id: variable, text: `${text} (the file refers to it as \${${variable}}; Enter to leave it for later)`, flag: `$${variable}`, default: "" });
  return typed === "" ? { secret: variable } : { secret: variable, value: typed };
}
