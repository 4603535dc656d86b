import { quickConfig } from "../config/quick-config.js";
import { replyOfError, type ConfigReply, type ConfigRequest } from "./config-reply.js";
import type { CliIo } from "./io.js";
import { openConfig } from "./open-config.js";

/**
 * Loads the config `lifeguard run` asked for, in the config process (src/cli/config-process.ts):
 * reading, validating and normalising happen here, so the daemon never loads the schema, zod
 * or the YAML parser. Never throws: a failure is a reply.
 */
export async function answerConfigRequest(request: ConfigRequest, io: CliIo): Promise<ConfigReply> {
  try {
    if (request.kind === "file") return { ok: true, config: await openConfig({ config: request.config }, io) };
    const context = { env: io.env, cwd: io.cwd, isRoot: process.getuid?.() === 0 };
    return { ok: true, config: quickConfig(request.command, request.flags, context) };
  } catch (error) {
    return replyOfError(error);
  }
}
