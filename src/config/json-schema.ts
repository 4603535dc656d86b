import { z } from "zod";
import { BARE_CHECK_KINDS, checkItem } from "./check-kinds.js";
import { configSchema } from "./schema.js";

/** The `$id` of the generated schema; editors only need it to be stable. */
export const CONFIG_SCHEMA_ID = "urn:lifeguard:config";

/**
 * The JSON Schema (draft 2020-12) of the config file, for editors (`lifeguard schema`),
 * generated from the same zod schema that validates it: keys, types, defaults, descriptions.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, {
    target: "draft-2020-12",
    io: "input",
    override: (context) => {
      // A check is also written as a bare kind name (`- running`), which zod sees only after its preprocess step.
      if (context.jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete context.jsonSchema.maximum;
      if (context.zodSchema === checkItem) {
        const { description, ...asMap } = context.jsonSchema;
        for (const key of Object.keys(context.jsonSchema)) delete context.jsonSchema[key];
        Object.assign(context.jsonSchema, { description, anyOf: [asMap, { type: "string", enum: BARE_CHECK_KINDS }] });
      }
    },
  });
  const { $schema, ...rest } = schema;
  return { $schema, $id: CONFIG_SCHEMA_ID, title: "Lifeguard configuration", ...rest };
}
