// Stands in for src/cli/load-config-apart.ts in a variant of the daemon's bundle built by the
// bench (bench/variants.ts): the config loaded in the daemon's own process, to weigh what loading
// it in a process of its own saves.
import type { LifeguardConfig } from "../src/config/types.js";
import { answerConfigRequest } from "../src/cli/answer-config-request.js";
import { errorOfReply, type ConfigRequest } from "../src/cli/config-reply.js";
import type { CliIo } from "../src/cli/io.js";

/** load-config-apart.ts's signature: the same request, answered here, an error thrown as there. */
export async function loadConfigApart(request: ConfigRequest, io: CliIo): Promise<LifeguardConfig> {
  const reply = await answerConfigRequest(request, io);
  if (!reply.ok) throw errorOfReply(reply.error);
  return reply.config;
}
