import { setTimeout as delay } from "node:timers/promises";
import { buildApp } from "../compose/build-app.js";
import { adminLifeguardCommand } from "../core/cli-command.js";
import { describeHealth } from "../compose/describe-status.js";
import { collectStatus, type ServiceStatus } from "../compose/service-status.js";
import type { LifeguardConfig } from "../config/types.js";
import { asUser } from "../process/doctor/run-as-user.js";
import { runCommand } from "../process/run-command.js";
import { findAccount } from "../setup/host.js";
import { CHECK_UNIT } from "../setup/layout.js";
import { CRON_ENVIRONMENT } from "../setup/render-schedules.js";
import type { Step } from "../setup/plan.js";

/** How long a unit may take to be active, and Lifeguard's first round to have looked at every service. */
const ACTIVE_WITHIN_MS = 30_000;
const FIRST_ROUND_WITHIN_MS = 90_000;
const POLL_MS = 500;

/**
 * After `install`: each unit active, then Lifeguard's first round (the daemon's own, the timer's
 * service started now, or the cron job's command run once now as its user), and each service as
 * that round saw it. True when every unit is active and every service healthy.
 */
export async function verifyFirstRound(config: LifeguardConfig, step: Extract<Step, { kind: "verify" }>, io: { say(line: string): void; owner: string | null; rootShell: boolean }): Promise<boolean> {
  const seeAlso = followUpAdvice(config.cliAddress, io.rootShell);
  const startedAt = Date.now();
  let ok = true;
  for (const unit of step.units) {
    const state = await activeWithin(unit);
    io.say(`${unit}: ${state}`);
    ok &&= state === "active";
  }
  if (step.firstRound === "check-unit") {
    const ran = await runCommand(["systemctl", "start", CHECK_UNIT], { timeoutMs: FIRST_ROUND_WITHIN_MS });
    if (!ran.ok) io.say(`${CHECK_UNIT}: the first round failed: ${ran.stderr.trim() || ran.summary}`);
  } else if (step.firstRound !== "daemon") {
    // Exactly what cron will run, as its user, in cron's environment: not the installer's (its secrets loaded, say).
    const account = io.owner === null ? null : await findAccount(io.owner);
    const argv = step.firstRound.command;
    const env = { ...CRON_ENVIRONMENT, HOME: "/", LOGNAME: io.owner ?? "root" };
    const ran = await runCommand((account === null ? null : asUser(account, argv)) ?? argv, { timeoutMs: FIRST_ROUND_WITHIN_MS, env });
    if (ran.exitCode !== 0 && ran.exitCode !== 1 && ran.exitCode !== 2) io.say(`the first round (as cron will run it) failed: ${ran.stderr.trim() || ran.summary}`);
  }
  const statuses = await firstRound(config, startedAt);
  for (const status of statuses) {
    const seen = lookedAt(status, startedAt);
    const healthy = seen && status.health.kind === "healthy";
    io.say(`${status.service}: ${seen ? describeHealth(status, Date.now()) : "not looked at by Lifeguard's first round yet"}${healthy ? "" : ` (${seeAlso})`}`);
    ok &&= healthy;
  }
  io.say(ok ? "Installed: every unit is active and Lifeguard's first round saw every service healthy." : "Installed, but not everything is well: see above.");
  return ok;
}

/** Where to look when a service is not healthy after install: status and doctor for this config, as typed where install was (they read root's files). */
export function followUpAdvice(cliAddress: readonly string[], rootShell: boolean): string {
  return `see \`${adminLifeguardCommand(["status", ...cliAddress], rootShell)}\` and \`${adminLifeguardCommand(["doctor", ...cliAddress], rootShell)}\``;
}

async function activeWithin(unit: string): Promise<string> {
  let state = "unknown";
  for (const end = Date.now() + ACTIVE_WITHIN_MS; Date.now() < end; await delay(POLL_MS)) {
    state = (await runCommand(["systemctl", "is-active", unit], { timeoutMs: 10_000 })).stdout.trim() || "unknown";
    if (state === "active") break;
  }
  return state;
}

/** Each service's status once a round after `since` has looked at it (or the wait is over). */
async function firstRound(config: LifeguardConfig, since: number): Promise<ServiceStatus[]> {
  let statuses: ServiceStatus[] = [];
  for (const end = Date.now() + FIRST_ROUND_WITHIN_MS; Date.now() < end; await delay(POLL_MS)) {
    const app = buildApp(config, { readOnly: true, logger: { write: () => undefined } });
    try {
      statuses = collectStatus(config, app.store, Date.now());
    } finally {
      app.close();
    }
    if (statuses.every((status) => lookedAt(status, since))) break;
  }
  return statuses;
}

/** A Lifeguard watches the service and has beaten since `since`, and some round has judged it. */
function lookedAt(status: ServiceStatus, since: number): boolean {
  return status.watch.kind === "watched" && status.watch.lastBeatAt >= since - POLL_MS && status.lastCheckAt !== null;
}
