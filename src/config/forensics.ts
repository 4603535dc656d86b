import { z } from "zod";
import { commandLine } from "./command-line.js";
import { duration, filePath } from "./fields.js";

/** The signals a bot may take as "dump your stacks": faulthandler, Java's jstack and most bots use one of these. */
const DUMP_SIGNALS = ["SIGUSR1", "SIGUSR2", "SIGQUIT", "SIGHUP"] as const;

/** A service's `forensics:`: what Lifeguard captures just before it stops a hung service. */
export const forensics = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Capture before the stop of a restart whose cause is a hang (any failing check but `running`): each thread's state and wait, kernel stacks where readable, RSS and CPU time, the service's connections with their queues, the last lines of its log. `false`: none."),
    exec: commandLine()
      .nullable()
      .default(null)
      .describe("A helper run then, as a list (no shell); `{pid}` becomes the main process's pid, e.g. `[py-spy, dump, --pid, \"{pid}\"]`. Its exit and the end of its output are kept."),
    signal: z.enum(DUMP_SIGNALS).nullable().default(null).describe("A signal sent to the main process then, for a bot that dumps its stacks on it (Python's `faulthandler.register`); needs `file`."),
    file: filePath().nullable().default(null).describe("The file the bot writes its dump to on `signal`; its end is kept once it changes. Relative to the config file's directory."),
    timeout: duration({ min: 1 }).prefault("2s").describe("Bound on the whole capture, the helper and the wait for the dump included: the stop follows then, captured or not."),
  })
  .prefault({})
  .describe("The evidence of why a service hung, captured just before Lifeguard stops it: stored with the restart (`lifeguard history`, `/api/history`) and said in one line in the alert.");

/** The normalised `forensics:` of a service. */
export function normaliseForensics(parsed: z.output<typeof forensics>, resolvePath: (path: string) => string) {
  return {
    enabled: parsed.enabled,
    /** The helper's argv, `{pid}` not yet replaced; null: none. */
    exec: parsed.exec,
    signal: parsed.signal,
    /** The dump file `signal` makes the bot write, resolved; null: none. */
    file: parsed.file === null ? null : resolvePath(parsed.file),
    timeoutMs: parsed.timeout,
  };
}
