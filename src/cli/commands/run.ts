import { runDaemon } from "../../daemon/run-daemon.js";
import type { CliIo } from "../io.js";
import { listenForSignals } from "../signal-queue.js";
import { chooseConfigSource, type RunOptions } from "../config-source.js";

/**
 * `lifeguard run`: the config from a file, or in quick mode (a command after `--`) from the
 * flags; SIGTERM and SIGINT ask the daemon to stop, SIGHUP to reload. The daemon itself is
 * src/daemon/run-daemon.ts.
 */
export async function runDaemonCommand(options: RunOptions, io: CliIo): Promise<number> {
  const config = chooseConfigSource(options, io);
  const signals = listenForSignals();
  try {
    return await runDaemon({ config, requests: signals, env: io.env });
  } finally {
    signals.dispose();
  }
}
