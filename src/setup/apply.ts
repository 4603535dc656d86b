import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT } from "../core/errors.js";
import { showUnit } from "../process/doctor/systemctl-show.js";
import { openInstallRecords, type InstallRecord, type InstallRecords } from "../store/install-records.js";
import { runCommand } from "../process/run-command.js";
import { chownTo, COMMAND_TIMEOUT_MS, describeDiff, findAccount, readOptional, sha256 } from "./host.js";
import type { InstallPlan, Step } from "./plan.js";
import { runStep, type Done, type StepContext } from "./steps.js";
import { controlProblems } from "./check-control.js";
import { sharedDirectoryProblems } from "./shared-dirs.js";
import { sameSettings } from "./unit-file.js";

export interface ApplyOptions {
  dryRun: boolean;
  force: boolean;
  /** The command, as recorded with each change. */
  command: string;
  /** The store's directory: where what install changed is recorded. */
  state: string;
  /** The config file, for messages. */
  source: string;
  say(line: string): void;
  now(): number;
  /** Lifeguard's first round after the start: true when it saw every service healthy (it says why not). */
  firstRound(step: Extract<Step, { kind: "verify" }>): Promise<boolean>;
}

/** What becomes of one file; `settingsChanged`: more than its comments (a unit so changed is restarted). */
type FilePlan = { step: Extract<Step, { kind: "file" }>; action: "write" | "unchanged" | "update" | "replace" | "conflict"; diff: string; settingsChanged: boolean };

/**
 * Carries out `plan`: checks first that nothing stands in the way (a file edited by hand, a unit
 * that does not exist, a missing tool), then each step in order, printing it; a step that fails
 * rolls back the ones done before it, in reverse, and says so. With `dryRun`, says what it would do
 * and prints every file it would write, in full, changing nothing.
 */
export async function applyInstall(plan: InstallPlan, options: ApplyOptions): Promise<number> {
  const records = existsSync(options.state) && !options.dryRun ? openInstallRecords(options.state) : null;
  try {
    const files = await planFiles(plan, records, options.force);
    const conflicts = files.filter((file) => file.action === "conflict");
    for (const conflict of conflicts) options.say(`${conflict.step.path} was changed by hand: not overwritten without --force\n${conflict.diff}`);
    const missing = await missingUnits(plan);
    for (const unit of missing) options.say(`${unit} does not exist, and the config has no \`install-unit:\` for it: install its unit, or give the service one`);
    const problems = [...plan.problems, ...(await controlProblems(plan, options.source)), ...(await sharedDirectoryProblems(plan, records, options.source))];
    for (const problem of problems) options.say(problem);
    const refusal = conflicts.length > 0 ? EXIT.cantCreate : missing.length > 0 || problems.length > 0 ? EXIT.config : null;
    // A dry run shows the plan even when install would refuse it: what it would write once the above is mended.
    if (options.dryRun) {
      describe(plan, files, options.say);
      if (refusal !== null) options.say("lifeguard install would refuse to do it until what is said above is mended: it would change nothing.");
      return refusal ?? EXIT.healthy;
    }
    if (refusal !== null) return refusal;
    if (process.getuid?.() !== 0) {
      options.say("lifeguard install changes system files: run it as root (sudo), or see what it would do with --dry-run");
      return EXIT.usage;
    }
    return await carryOut(plan, files, options, records);
  } finally {
    records?.close();
  }
}

async function carryOut(plan: InstallPlan, files: FilePlan[], options: ApplyOptions, opened: InstallRecords | null): Promise<number> {
  const done: Done[] = [];
  let records = opened;
  // Kept until the state directory exists (a step makes it): opening the store before would make
  // it, and install would not know it made it.
  const pending: InstallRecord[] = [];
  const flush = (): void => {
    if (pending.length === 0 || !existsSync(options.state)) return;
    records ??= openInstallRecords(options.state);
    for (const record of pending.splice(0)) records.put(record);
  };
  const context: StepContext = {
    force: options.force,
    say: options.say,
    fileAction: (path) => files.find((file) => file.step.path === path)?.action ?? "write",
    settingsChanged: (path) => files.find((file) => file.step.path === path)?.settingsChanged ?? true,
    record: (record) => {
      pending.push({ ...record, installedAt: options.now(), command: options.command });
      flush();
    },
    groupsChanged: false,
  };
  const owner = plan.steps.find((step): step is Extract<Step, { kind: "user" }> => step.kind === "user")?.name ?? null;
  let reloaded = false;
  try {
    for (const step of plan.steps) {
      if (step.kind === "verify") {
        // The store's files were written as root: Lifeguard's user must own them before it starts.
        await handStateTo(owner, options.state);
        return (await options.firstRound(step)) ? EXIT.healthy : EXIT.failed;
      }
      // Lifeguard's units start only once the store is its user's.
      if (step.kind === "daemon-reload") await handStateTo(owner, options.state);
      done.push(...(await runStep(step, context)));
      reloaded ||= step.kind === "daemon-reload";
      flush();
    }
    return EXIT.healthy;
  } catch (error) {
    options.say(`lifeguard install failed: ${error instanceof Error ? error.message : String(error)}`);
    options.say(done.length === 0 ? "Nothing had been changed." : "Rolling back what was done:");
    for (const step of done.reverse()) {
      try {
        await step.undo();
        records?.remove(step.record.kind, step.record.target);
        options.say(`  undone: ${step.said}`);
      } catch (undoError) {
        options.say(`  NOT undone: ${step.said} (${(undoError as Error).message})`);
      }
    }
    // systemd forgets the unit files taken back only when it reads its directories again.
    if (reloaded) {
      const reload = await runCommand(["systemctl", "daemon-reload"], { timeoutMs: COMMAND_TIMEOUT_MS });
      options.say(reload.ok ? "  systemctl daemon-reload" : `  NOT done: systemctl daemon-reload (${reload.stderr.trim() || reload.summary})`);
    }
    return EXIT.failed;
  } finally {
    records?.close();
  }
}

async function handStateTo(owner: string | null, state: string): Promise<void> {
  if (owner === null) return;
  const account = await findAccount(owner);
  for (const name of ["lifeguard.db", "lifeguard.db-wal", "lifeguard.db-shm"]) chownTo(join(state, name), account);
}

/** What becomes of each file: written, left as it is, updated (ours, unchanged since), replaced (--force) or refused. */
async function planFiles(plan: InstallPlan, records: InstallRecords | null, force: boolean): Promise<FilePlan[]> {
  const scratch = mkdtempSync(join(tmpdir(), "lifeguard-install-"));
  try {
    return await Promise.all(plan.steps.filter((step): step is Extract<Step, { kind: "file" }> => step.kind === "file").map(async (step): Promise<FilePlan> => {
      const onDisk = readOptional(step.path);
      if (onDisk === null) return { step, action: "write", diff: "", settingsChanged: true };
      if (onDisk === step.content) return { step, action: "unchanged", diff: "", settingsChanged: false };
      const settingsChanged = !sameSettings(onDisk, step.content);
      if (records?.get("file", step.path)?.sha256 === sha256(onDisk)) return { step, action: "update", diff: "", settingsChanged };
      return { step, action: force ? "replace" : "conflict", diff: await describeDiff(step.path, step.content, scratch), settingsChanged };
    }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The units Lifeguard is to control that neither exist nor are written by this plan. */
async function missingUnits(plan: InstallPlan): Promise<string[]> {
  const written = new Set(plan.steps.flatMap((step) => (step.kind === "file" ? [step.path.split("/").at(-1)] : [])));
  const shown = await Promise.all(plan.units.filter((unit) => !written.has(unit)).map(async (unit) => ({ unit, shown: await showUnit(unit, ["LoadState"]) })));
  return shown.filter(({ shown }) => "error" in shown || shown.LoadState !== "loaded").map(({ unit }) => unit);
}

/** What a dry run says it would do with a file, by its action. */
const DRY_RUN_VERB = { write: "write", unchanged: "leave unchanged", update: "update", replace: "replace (edited by hand: --force)", conflict: "not overwrite (edited by hand; with --force, replace)" } as const;

function describe(plan: InstallPlan, files: FilePlan[], say: (line: string) => void): void {
  say("Dry run: nothing is changed. lifeguard install would:");
  for (const step of plan.steps) {
    if (step.kind !== "file") {
      say(`- ${describeStep(step)}`);
      continue;
    }
    const action = files.find((file) => file.step === step)?.action ?? "write";
    const check = step.validate === undefined ? "" : `, once \`${step.validate.join(" ")}\` accepts it`;
    say(`- ${DRY_RUN_VERB[action]} ${step.path} (${step.what}, mode ${step.mode.toString(8)}${check})${action === "unchanged" ? "" : ":"}`);
    if (action !== "unchanged") say(step.content.replace(/^/gm, "    ").trimEnd());
  }
}

function describeStep(step: Exclude<Step, { kind: "file" }>): string {
  switch (step.kind) {
    case "user": return `create the system user ${step.name} (when missing)`;
    case "group": return `add ${step.user} to the group ${step.group} (when not a member), to read the journal of ${step.units.join(", ")}`;
    case "dir": return `create ${step.path} (when missing), owned by ${step.owner ?? "root"}, mode ${step.mode.toString(8)}`;
    case "read-access": return `let ${step.user} read ${step.path} (ACL entries where its mode does not${step.rotated ? ", and on its directory for the files logrotate makes" : ""})`;
    case "daemon-reload": return "systemctl daemon-reload";
    case "enable": return `systemctl enable --now ${step.unit}`;
    case "verify": return `check that ${step.units.join(", ")} ${step.units.length === 1 ? "is" : "are"} active and that Lifeguard's first round sees every service healthy`;
  }
}
