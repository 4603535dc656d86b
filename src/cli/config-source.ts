import type { QuickFlags } from "../config/quick-config.js";
import type { ConfigSource } from "../daemon/run-daemon.js";
import { UsageError } from "../core/errors.js";
import type { CliIo } from "./io.js";
import { loadConfigApart } from "./load-config-apart.js";
import { claimQuickInstance, type QuickStart } from "./quick-claim.js";
import { RECORDED_VARIABLES } from "./quick-record.js";

/** `lifeguard run`'s options: a config file, or quick mode's flags and the command after `--`. */
export interface RunOptions extends QuickFlags {
  config?: string;
  /** The command after `--`; empty: no quick mode. */
  command: string[];
}

/** Each quick-mode flag as the user writes it, by commander's name for it. */
const QUICK_FLAGS: Record<keyof QuickFlags, string> = {
  name: "--name", maxAge: "--max-age", match: "--match", heartbeat: "--heartbeat", interval: "--interval",
  state: "--state", output: "--output", outputMaxSize: "--output-max-size", listen: "--listen", logFormat: "--log-format",
};

/**
 * A command after `--` means quick mode, which takes no config file; without one, the config
 * file is searched as always, and quick mode's flags are refused. Throws a UsageError (exit 64).
 */
export function chooseConfigSource(options: RunOptions, io: CliIo): ConfigSource {
  const { config, command, ...flags } = options;
  if (command.length === 0) {
    const quickFlag = (Object.keys(QUICK_FLAGS) as Array<keyof QuickFlags>).find((key) => flags[key] !== undefined);
    if (quickFlag !== undefined) {
      throw new UsageError(`Cannot use ${QUICK_FLAGS[quickFlag]} without a command: quick mode supervises the command after "--"`, "Write: lifeguard run [flags] -- CMD ARGS...");
    }
    return { open: () => loadConfigApart({ kind: "file", config }, io), reloadable: true };
  }
  if (config !== undefined) {
    throw new UsageError('Cannot use -c/--config with a command after "--": quick mode takes no configuration file', "Leave out -c, or put the command in the file as `command: [CMD, ARGS...]`.");
  }
  const start: QuickStart = { command, flags, cwd: io.cwd, env: recordedEnv(io.env), isRoot: process.getuid?.() === 0, token: (io.env.LIFEGUARD_TOKEN ?? "") !== "" };
  let notices: string[] = [];
  return {
    open: async () => {
      const loaded = await loadConfigApart({ kind: "quick", command, flags }, io);
      notices = claimQuickInstance(loaded, start, Date.now());
      return loaded;
    },
    reloadable: false,
    startNotices: () => notices,
  };
}

/** The variables quick mode's defaults read, as set: the record's (never the token). */
function recordedEnv(env: CliIo["env"]): QuickStart["env"] {
  return Object.fromEntries(RECORDED_VARIABLES.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]]])));
}

/**
 * The command of quick mode: the operands after `--` in `argv`. An operand before `--` is
 * refused (exit 64): `lifeguard run lifeguard.yaml` is a forgotten `-c`, not a program to run.
 */
export function commandAfterDashes(operands: readonly string[], argv: readonly string[]): string[] {
  const dashes = argv.indexOf("--");
  const literal = dashes === -1 ? [] : argv.slice(dashes + 1);
  const stray = operands.slice(0, operands.length - literal.length);
  if (stray.length > 0) {
    throw new UsageError(`Cannot run "${stray[0]}" without "--" before it: quick mode's command follows "--"`, "Write: lifeguard run [flags] -- CMD ARGS..., or lifeguard run -c FILE for a configuration file.");
  }
  return [...operands];
}
