import { configJsonSchema } from "../../config/json-schema.js";
import type { CliIo } from "../io.js";

/** `lifeguard schema`: the config's JSON Schema, e.g. for the YAML language server. */
export async function runSchema(io: CliIo): Promise<number> {
  io.stdout(JSON.stringify(configJsonSchema(), null, 2));
  return 0;
}
