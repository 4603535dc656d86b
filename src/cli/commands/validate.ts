import { describePatternWarnings } from "../../config/describe-pattern-warnings.js";
import type { CliIo } from "../io.js";
import { openConfig } from "../open-config.js";

/** `lifeguard validate`: exit 0 with a summary (and warnings on stderr), or 78 with every problem (thrown as ConfigError). */
export async function runValidate(options: { config?: string }, io: CliIo): Promise<number> {
  const config = await openConfig(options, io);
  for (const warning of describePatternWarnings(config)) io.stderr(`warning: ${warning}`);
  const names = config.services.map((service) => `"${service.name}" (${service.checks.map((check) => check.id).join(", ")})`);
  const channels = config.channels.map((channel) => `"${channel.name}" (${channel.type})`);
  const alerts = channels.length === 0 ? "; no alert channel" : `; ${channels.length} alert channel${channels.length === 1 ? "" : "s"}: ${channels.join(", ")}`;
  io.stdout(`Configuration "${config.source}" is valid: ${names.length} service${names.length === 1 ? "" : "s"}: ${names.join("; ")}${alerts}`);
  return 0;
}
