/** Field paths as users read them: `services.trader.checks[1].max-age`. */

/** A path into the YAML document: map keys and list indexes. */
export type FieldPath = readonly PropertyKey[];

const PLAIN_KEY = /^[A-Za-z0-9_@-]+$/;

/**
 * Formats a path for messages. A check's kind key is left out, as users think of
 * `checks[1].max-age` rather than `checks[1].log-fresh.max-age`.
 */
export function formatPath(path: FieldPath): string {
  let text = "";
  path.forEach((segment, index) => {
    if (isCheckKindSegment(path, index)) return;
    if (typeof segment === "number") text += `[${segment}]`;
    else if (PLAIN_KEY.test(String(segment))) text += text === "" ? String(segment) : `.${String(segment)}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  });
  return text;
}

/** True for `log-fresh` in `services.trader.checks.1.log-fresh...`. */
function isCheckKindSegment(path: FieldPath, index: number): boolean {
  return index === 4 && path[0] === "services" && path[2] === "checks" && typeof path[3] === "number";
}
