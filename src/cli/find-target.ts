import { resolve } from "node:path";
import { findConfigPath, loadConfig } from "../config/load.js";
import { defaultStateDir } from "../config/quick-defaults.js";
import type { LifeguardConfig } from "../config/types.js";
import { lifeguardCommand } from "../core/cli-command.js";
import { ConfigError, EXIT, LifeguardError, UsageError } from "../core/errors.js";
import { configEnvironment } from "./config-environment.js";
import type { CliIo } from "./io.js";
import { openConfig } from "./open-config.js";
import { describeInstance, findQuickInstance, listQuickInstances, type QuickInstance } from "./quick-instances.js";
import { rebuildQuickConfig } from "./quick-rebuild.js";

/** How a command names what it reads or changes: a config file, or a quick-mode Lifeguard. */
export interface TargetOptions {
  /** `-c/--config FILE`. */
  config?: string;
  /** `--name NAME`: the quick-mode Lifeguard of that service name. */
  name?: string;
  /** `--state DIR`: the state root quick-mode Lifeguards keep their directories under. */
  state?: string;
}

/** The command asking, for its messages and the commands they suggest. */
export interface TargetRequest {
  /** Its name: `status`, `history`, `reset`, `logs`. */
  command: string;
  /** The service it is about (`reset NAME`, `logs NAME`): also the name of a quick-mode Lifeguard. */
  service?: string;
}

const START_HINT = "start one with `lifeguard run [flags] -- CMD ARGS...`";

/**
 * The configuration a reading or re-arming command works on (`status`, `history`, `reset NAME`,
 * `logs NAME`), found as a user expects without a config file:
 * 1. `-c FILE` when given;
 * 2. else, unless `--name` or `--state` asks for quick mode, the default file (`./lifeguard.yaml`,
 *    then `/etc/lifeguard/lifeguard.yaml`) when one exists and has the service asked about;
 * 3. else a quick-mode Lifeguard under the state root (`--state`, else the default one of
 *    `lifeguard run -- CMD`): the one named by `--name` or the service, else the only one there.
 * Its config is rebuilt from the record its start wrote, with the same defaults and checks.
 * Throws a UsageError (64) when the name is unknown or several are there to choose from, listing
 * them with the exact commands; a ConfigError (78) when there is neither a file nor an instance.
 */
export async function findTarget(options: TargetOptions, request: TargetRequest, io: CliIo): Promise<LifeguardConfig> {
  if (options.config !== undefined) {
    if (options.name !== undefined || options.state !== undefined) {
      throw new UsageError(`Cannot use ${options.name !== undefined ? "--name" : "--state"} with -c/--config: it picks a quick-mode Lifeguard, which has no configuration file`);
    }
    return openConfig(options, io);
  }
  const quickAsked = options.name !== undefined || options.state !== undefined;
  const file = quickAsked ? null : defaultConfigFile(io.cwd);
  if (file !== null && "path" in file) {
    const config = await loadConfig(file.path, configEnvironment(file.path, io));
    // `reset python3` as a quick-mode Lifeguard advises it, on a machine that also has a config file.
    if (request.service === undefined || config.services.some((service) => service.name === request.service)) return config;
    const root = stateRoot(options, io);
    const instance = root === null ? null : findQuickInstance(root, request.service);
    return instance === null ? config : configOf(instance);
  }
  const root = stateRoot(options, io);
  if (root === null) throw new UsageError("Cannot choose a state directory as none of $LIFEGUARD_STATE, $XDG_STATE_HOME and $HOME is set: pass --state DIR, or -c FILE");
  const name = options.name ?? request.service;
  if (name !== undefined) {
    const instance = findQuickInstance(root, name);
    if (instance === null) throw unknownInstance(name, root, options, request);
    return configOf(instance);
  }
  const instances = listQuickInstances(root);
  const [only] = instances;
  if (only !== undefined && instances.length === 1) return configOf(only);
  if (instances.length === 0) throw nothingFound(root, file);
  throw new UsageError(
    `Cannot choose a quick-mode Lifeguard as "${root}" holds ${instances.length}: ${instances.map(describeInstance).join(", ")}`,
    `Name one:\n  ${instances.map((instance) => pickCommand(instance.name, options, root, request)).join("\n  ")}`,
  );
}

/** The default config file, or the error that says there is none. */
function defaultConfigFile(cwd: string): { path: string } | { missing: ConfigError } {
  try {
    return { path: findConfigPath(undefined, { cwd }) };
  } catch (error) {
    if (error instanceof ConfigError) return { missing: error };
    throw error;
  }
}

/** `--state` (absolute), else where `lifeguard run -- CMD` keeps its stores for this user; null when no default applies. */
function stateRoot(options: TargetOptions, io: CliIo): string | null {
  if (options.state !== undefined) return resolve(io.cwd, options.state);
  const root = defaultStateDir(io.env, process.getuid?.() === 0);
  return root === null ? null : resolve(io.cwd, root.value);
}

function configOf(instance: QuickInstance): LifeguardConfig {
  if (instance.record === null) {
    throw new LifeguardError(`Cannot read the quick-mode Lifeguard "${instance.name}" as ${instance.problem ?? "it has no record"}`, {
      exitCode: EXIT.config,
      hint: `Start it again (lifeguard run --name ${instance.name} [flags] -- CMD ARGS...): each start writes its record anew. Its store stays in "${instance.dir}".`,
    });
  }
  return rebuildQuickConfig(instance.record);
}

/**
 * The exact command that picks one instance, with the `--state` it was found under: `--name NAME`,
 * or for a command about a service (`reset NAME`) that service, whose name is the instance's.
 */
function pickCommand(name: string, options: TargetOptions, root: string, request: TargetRequest): string {
  const target = request.service === undefined ? ["--name", name] : [name];
  return lifeguardCommand([request.command, ...target, ...(options.state === undefined ? [] : ["--state", root])]);
}

function unknownInstance(name: string, root: string, options: TargetOptions, request: TargetRequest): UsageError {
  const instances = listQuickInstances(root);
  const holds = instances.length === 0 ? "it holds none" : `it holds ${instances.map(describeInstance).join(", ")}`;
  const hint = instances.length === 0
    ? `Pass -c FILE for a configuration file, --state DIR where the quick-mode Lifeguard keeps its store, or ${START_HINT}.`
    : `Name one:\n  ${instances.map((instance) => pickCommand(instance.name, options, root, request)).join("\n  ")}`;
  return new UsageError(`Cannot find the quick-mode Lifeguard "${name}" in "${root}": ${holds}`, hint);
}

/**
 * Neither a config file nor a quick-mode Lifeguard: with nothing asked, the missing file's error
 * (exit 78) and how to start quick mode; with `--state DIR`, a usage error (64) about that root.
 */
function nothingFound(root: string, file: { missing: ConfigError } | null): LifeguardError {
  if (file === null) return new UsageError(`Cannot find a quick-mode Lifeguard in "${root}": it holds none`, `Pass --state DIR where one keeps its store, or ${START_HINT}.`);
  return new ConfigError(file.missing.issues, `Pass the configuration file with -c/--config FILE; no quick-mode Lifeguard keeps its store in "${root}" either: ${START_HINT}, or pass --state DIR where one does.`);
}
