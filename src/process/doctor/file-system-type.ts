import { runCommand } from "../run-command.js";
import { PROBE_TIMEOUT_MS } from "./run-as-user.js";

/** The type of the file system holding `path` (`stat -f -c %T`: `ext2/ext3`, `tmpfs`, `nfs`...), or why it cannot be read. */
export async function fileSystemType(path: string): Promise<{ type: string } | { error: string }> {
  const result = await runCommand(["stat", "-f", "-c", "%T", "--", path], { timeoutMs: PROBE_TIMEOUT_MS });
  const type = result.stdout.trim();
  if (!result.ok || type === "") return { error: result.cause ?? result.summary };
  return { type };
}
