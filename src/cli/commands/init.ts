import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { EXIT, LifeguardError } from "../../core/errors.js";
import { lifeguardCommand } from "../../core/cli-command.js";
import { SYSTEM_CONFIG_PATH } from "../../config/load.js";
import { defaultStateDir } from "../../config/quick-defaults.js";
import { validateConfig } from "../../config/validate.js";
import type { CliIo } from "../io.js";
import { runDialogue } from "../init/dialogue.js";
import { machineDiscovery } from "../init/machine.js";
import { nextSteps } from "../init/next-steps.js";
import { secretsOf, type InitFlags, type InitPlan } from "../init/plan.js";
import { checkYesNo, flagsAsker, isYes, type Asker } from "../init/questions.js";
import { referencedSecrets, renderConfig } from "../init/render-config.js";
import { terminalAsker } from "../init/terminal.js";
import { configMode, decideOverwrite, writeFileAtomic } from "../init/write-config.js";
import { runTestAlert } from "./test-alert.js";

/** What `init` needs of the process besides CliIo; tests pass their own. */
export interface InitDeps {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  /** argv of systemctl: `["systemctl"]`. */
  systemctl: readonly string[];
  isRoot: boolean;
}

/** The file `init` writes without -c: the system's as root (every command finds it), else ./lifeguard.yaml. */
export function defaultInitPath(isRoot: boolean, cwd: string): string {
  return isRoot ? SYSTEM_CONFIG_PATH : join(cwd, "lifeguard.yaml");
}

/**
 * `lifeguard init`: asks (on a terminal) or takes from its flags which service to watch, which
 * log, the pattern and max-age proposed from that log, and where alerts go; writes a commented
 * configuration that validates, offers a test alert, and says what to run next. Exit 0 written,
 * 64 a missing or bad answer without a terminal, 73 an existing file left as it is.
 */
export async function runInit(flags: InitFlags & { state?: string }, io: CliIo, deps: InitDeps): Promise<number> {
  const interactive = deps.stdin.isTTY === true && flags.yes !== true;
  const path = resolve(io.cwd, flags.config ?? defaultInitPath(deps.isRoot, io.cwd));
  const decision = decideOverwrite(existsSync(path), { interactive, force: flags.force === true });
  if (decision === "refuse") throw new LifeguardError(`Cannot write "${path}" as it exists already`, { exitCode: EXIT.cantCreate, hint: "Pass --force to replace it, or -c FILE to write another file." });
  const terminal = interactive ? terminalAsker(deps.stdin, deps.stdout) : null;
  const why = flags.yes === true ? "--yes asks nothing" : "stdin is not a terminal";
  const asker: Asker = terminal ?? flagsAsker((text) => io.stdout(text), why);
  try {
    if (decision === "ask" && !isYes(await asker.ask({ id: "overwrite", text: `${path} exists already. Replace it? y/N`, flag: "--force", default: "n", check: checkYesNo }))) {
      throw new LifeguardError(`Left "${path}" as it is`, { exitCode: EXIT.cantCreate, hint: "Pass -c FILE to write another file." });
    }
    const state = flags.state === undefined ? stateDir(io, deps) : resolve(io.cwd, flags.state);
    const plan = await runDialogue(flags, asker, machineDiscovery({ systemctl: deps.systemctl, env: io.env, cwd: io.cwd, state }));
    const envFile = dirname(path) === dirname(SYSTEM_CONFIG_PATH) ? join(dirname(path), "env") : join(dirname(path), "lifeguard.env");
    const text = renderConfig(plan, { validateCommand: lifeguardCommand(["validate", "-c", path]), envFile });
    selfCheck(text, path, plan);
    const literal = plan.literalSecrets && referencedSecrets(plan).length < secretsOf(plan.channel?.settings ?? {}).length;
    writeFileAtomic(path, text, configMode(literal));
    io.stdout(`Wrote ${path} (mode ${configMode(literal).toString(8).padStart(4, "0")}).`);
    await offerTestAlert(flags, asker, plan, path, io);
    const viaSudo = deps.isRoot && (io.env.SUDO_USER ?? "") !== "";
    const steps = nextSteps({ configPath: path, secrets: referencedSecrets(plan), envFile, viaSudo, supervised: "command" in plan.service, unitToWrite: "installUnit" in plan.service, root: deps.isRoot });
    io.stdout(["", "Next:", ...steps].join("\n"));
    return EXIT.healthy;
  } finally {
    terminal?.close();
  }
}

function stateDir(io: CliIo, deps: InitDeps): string {
  const root = defaultStateDir(io.env, deps.isRoot);
  if (root === null) throw new LifeguardError("Cannot choose a state directory as none of $LIFEGUARD_STATE, $XDG_STATE_HOME and $HOME is set: pass --state DIR", { exitCode: EXIT.usage });
  return resolve(io.cwd, root.value);
}

/**
 * The file must pass the schema before it is written: the secrets' variables stand in with
 * placeholders (they may be set only later). A failure here is Lifeguard's bug, not the user's.
 */
function selfCheck(text: string, path: string, plan: InitPlan): void {
  const placeholders = Object.fromEntries(referencedSecrets(plan).map((name) => [name, name.endsWith("URL") ? "https://placeholder.invalid/" : "placeholder"]));
  const result = validateConfig(text, { source: path, baseDir: dirname(path), env: placeholders });
  if (!result.ok) {
    throw new LifeguardError(`Cannot write "${path}" as the configuration made does not validate: ${result.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`, { exitCode: EXIT.software });
  }
}

/** On a terminal it asks; with flags, `--test-alert` asks for one. Every secret's value must be known (set or typed). */
async function offerTestAlert(flags: InitFlags, asker: Asker, plan: InitPlan, path: string, io: CliIo): Promise<void> {
  if (plan.channel === null) return;
  const wanted = flags.testAlert === true || (asker.interactive && isYes(await asker.ask({ id: "test-alert", text: "Send a test alert now? Y/n", flag: "--test-alert", default: "y", check: checkYesNo })));
  if (!wanted) return;
  const secrets = secretsOf(plan.channel.settings);
  const missing = secrets.filter((secret) => secret.value === undefined).map((secret) => secret.secret);
  if (missing.length > 0) {
    io.stdout(`No test alert: ${missing.map((name) => `$${name}`).join(", ")} ${missing.length === 1 ? "is" : "are"} not set here. Set it, then run ${lifeguardCommand(["test-alert", "-c", path])}.`);
    return;
  }
  const env = { ...io.env, ...Object.fromEntries(secrets.map((secret) => [secret.secret, secret.value])) };
  io.stdout("Sending a test alert...");
  const code = await runTestAlert(undefined, { config: path }, { ...io, env });
  io.stdout(code === EXIT.healthy ? "The test alert was delivered." : `The test alert was not delivered: fix the channel's settings, then try again with ${lifeguardCommand(["test-alert", "-c", path])}.`);
}
