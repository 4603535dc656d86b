import { adminCommand } from "../../core/doctor/fixes.js";
import { doctorExitCode, fail, ok, type Finding } from "../../core/doctor/finding.js";
import { formatFindings, summarise } from "../../core/doctor/format.js";
import { adminLifeguardCommand, lifeguardCommand } from "../../core/cli-command.js";
import { ConfigError } from "../../core/errors.js";
import { configAddress, findConfigPath, loadConfig } from "../../config/load.js";
import type { LifeguardConfig } from "../../config/types.js";
import { diagnose } from "../../compose/doctor/diagnose.js";
import { configEnvironment } from "../config-environment.js";
import type { CliIo } from "../io.js";
import { isRootShell } from "../root-shell.js";
import { colourEnabled, paint, type Style } from "../paint.js";

export interface DoctorOptions {
  config?: string;
  json?: boolean;
  /** Lifeguard's user, instead of the `User=` of the installed units. */
  user?: string;
}

const STYLE = { ok: "ok", warn: "warn", fail: "bad" } as const satisfies Record<Finding["level"], Style>;

/**
 * `lifeguard doctor`: one line per finding, each problem with the command that fixes it. An
 * invalid or missing configuration is a finding like the others (its file:line:field issues
 * shown), not exit 78: doctor still reports what it can see without it. Exit 0 when nothing stops
 * Lifeguard from protecting a service (warnings allowed), 1 otherwise.
 */
export async function runDoctor(options: DoctorOptions, io: CliIo): Promise<number> {
  const root = isRootShell(io);
  const { config, finding, address } = await openForDoctor(options, io, root);
  const asAdmin = (args: string[]): string => adminLifeguardCommand(args, root);
  const diagnosis = await diagnose({
    config, configFinding: finding, now: Date.now(), rerun: asAdmin(["doctor", ...address]), install: asAdmin(["install", ...address]),
    run: asAdmin(["run", ...address]), reload: asAdmin(["reload", ...address]), edit: editFix(config?.source ?? "lifeguard.yaml", root), rootShell: root,
    ...(options.user === undefined ? {} : { user: options.user }),
  });
  const code = doctorExitCode(diagnosis.findings);
  if (options.json === true) {
    io.stdout(JSON.stringify({ ok: code === 0, user: diagnosis.user, findings: diagnosis.findings }, null, 2));
  } else {
    const colours = colourEnabled(io);
    io.stdout(formatFindings(diagnosis.findings, (label, level) => paint(label, STYLE[level], colours)));
    io.stdout(summarise(diagnosis.findings));
  }
  return code;
}

/** The configuration, or the finding that says why it cannot be had (with the fix: edit the file, then validate it). */
async function openForDoctor(options: DoctorOptions, io: CliIo, root: boolean): Promise<{ config: LifeguardConfig | null; finding: Finding; address: string[] }> {
  let path = options.config;
  try {
    path = findConfigPath(options.config, { cwd: io.cwd });
    const config = await loadConfig(path, configEnvironment(path, io));
    const services = config.services.length;
    const channels = config.channels.length;
    const summary = `${services} service${services === 1 ? "" : "s"}, ${channels} alert channel${channels === 1 ? "" : "s"}`;
    return { config, finding: ok("config", `${path} is valid (${summary})`), address: configAddress(path) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const file = error.issues[0]?.file ?? path ?? "lifeguard.yaml";
    return { config: null, finding: fail("config", error.message, editFix(file, root)), address: path === undefined ? [] : configAddress(path) };
  }
}

/** Edit the configuration file, then validate it. */
function editFix(file: string, root: boolean): string {
  return `${adminCommand(["editor", file], { root })} && ${lifeguardCommand(["validate", ...configAddress(file)])}`;
}
