import { processIo, type CliIo } from "./io.js";
import { runCli } from "./program.js";
import { addRunCommand } from "./run-command.js";

/**
 * The entry of `lifeguard run` alone (bundled as dist/lifeguard-run.cjs, which bin/lifeguard.js
 * starts for `run`): the long-running daemon parses, compiles and keeps only the code it runs,
 * not the other commands' nor, as its config is loaded in a process of its own
 * (load-config-apart.ts), the schema, zod and the YAML parser.
 */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
  return runCli(argv, io, (program, act) => addRunCommand(program, io, act, argv));
}
