// The config process of `lifeguard run` (bundled as dist/lifeguard-config.cjs): reads one
// ConfigRequest as JSON on standard input, writes the ConfigReply as JSON on standard output.
import { readFileSync } from "node:fs";
import { answerConfigRequest } from "./answer-config-request.js";
import type { ConfigRequest } from "./config-reply.js";
import { processIo } from "./io.js";

const request = JSON.parse(readFileSync(0, "utf8")) as ConfigRequest;
void answerConfigRequest(request, processIo).then((reply) => process.stdout.write(JSON.stringify(reply)));
