import { runCommand } from "../run-command.js";
import { PROBE_TIMEOUT_MS } from "./run-as-user.js";

/** `systemctl show -p P1 -p P2 ... -- UNIT` as `Key=Value` pairs; the reason when systemctl gave no answer. */
export async function showUnit(unit: string, properties: readonly string[], signal?: AbortSignal): Promise<Record<string, string> | { error: string }> {
  const argv = ["systemctl", "show", ...properties.flatMap((property) => ["-p", property]), "--", unit];
  const result = await runCommand(argv, { timeoutMs: PROBE_TIMEOUT_MS, ...(signal === undefined ? {} : { signal }) });
  if (!result.ok) return { error: result.cause === undefined ? result.summary : `${result.summary}: ${result.cause}` };
  const values: Record<string, string> = {};
  for (const line of result.stdout.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) values[line.slice(0, at)] = line.slice(at + 1);
  }
  return values;
}
