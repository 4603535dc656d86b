import { z } from "zod";
import type { FieldPath } from "./format-path.js";

/**
 * The schema that validates the value at `path`, with defaults, optionality and pipes unwrapped.
 * A union (a channel, whose options its `type` picks) is looked through to its first option with the key.
 */
export function schemaAt(schema: z.ZodType, path: FieldPath): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    current = childAt(current, segment);
    if (current === undefined) return undefined;
    current = unwrap(current);
  }
  return current;
}

/**
 * The keys a map at `path` accepts, or [] when the schema there is not a fixed-key map. For a
 * discriminated union the option `input` picks (`type: telegram`): its keys.
 */
export function keysAt(schema: z.ZodType, path: FieldPath, input?: unknown): string[] {
  const found = schemaAt(schema, path);
  const map = found instanceof z.ZodUnion ? optionOf(found, input) : found;
  return map instanceof z.ZodObject ? Object.keys(map.shape) : [];
}

function childAt(schema: z.ZodType, segment: PropertyKey): z.ZodType | undefined {
  if (schema instanceof z.ZodObject) return (schema.shape as Record<PropertyKey, z.ZodType | undefined>)[segment];
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
  if (schema instanceof z.ZodArray) return schema.element as z.ZodType;
  if (schema instanceof z.ZodUnion) {
    for (const option of schema.options as z.ZodType[]) {
      const child = childAt(unwrap(option), segment);
      if (child !== undefined) return child;
    }
  }
  return undefined;
}

/** The option of a discriminated union whose discriminator literal is `input`'s, if any. */
function optionOf(union: z.ZodUnion, input: unknown): z.ZodObject | undefined {
  const { discriminator } = union.def as { discriminator?: string };
  if (discriminator === undefined || input === null || typeof input !== "object") return undefined;
  const value = (input as Record<string, unknown>)[discriminator];
  return (union.options as z.ZodType[]).map(unwrap).find((option): option is z.ZodObject => {
    const tag: unknown = option instanceof z.ZodObject ? (option.shape as Record<string, unknown>)[discriminator] : undefined;
    return tag instanceof z.ZodLiteral && tag.values.has(value as never);
  });
}

/** Looks through defaults, optional/nullable wrappers and pipes (a preprocess step's target, a transform's source). */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = (current.in instanceof z.ZodTransform ? current.out : current.in) as z.ZodType;
    } else {
      return current;
    }
  }
}
