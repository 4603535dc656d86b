import type { LogEntry, Logger } from "../core/logger.js";
import type { LogConfig } from "../config/types.js";
import { formatJson, formatText } from "./format.js";
import { createFileSink, type Sink } from "./file-sink.js";

/**
 * Builds the watchdog log from its config: text or JSON lines, to a file or to `stdout`.
 * A log file that cannot be written never stops the watchdog: the failure goes to stderr once.
 */
export function createLogger(
  config: LogConfig,
  options: { withService?: boolean; stdout?: Sink; stderr?: Sink } = {},
): Logger {
  const stdout = options.stdout ?? ((line) => void process.stdout.write(`${line}\n`));
  const stderr = options.stderr ?? ((line) => void process.stderr.write(`${line}\n`));
  const format = config.format === "json" ? formatJson : (entry: LogEntry) => formatText(entry, options.withService);
  let complained = false;
  const sink =
    config.file === null
      ? stdout
      : createFileSink(config.file, {
          maxBytes: config.maxBytes,
          keep: config.keep,
          onError: (error) => {
            if (complained) return;
            complained = true;
            stderr(`lifeguard: Cannot write the watchdog log "${config.file}": ${(error as Error).message}`);
          },
        });
  return { write: (entry: LogEntry) => sink(format(entry)) };
}
