import { z } from "zod";
import { describeValue, quote } from "./messages.js";

/** A range of HTTP statuses, both ends included. */
export interface StatusRange {
  from: number;
  to: number;
}

const EXAMPLE = 'a status like 200 or a range like "200-299"';
const LOWEST = 100;
const HIGHEST = 599;

/** `200`, `"200-299"`, or a list of them (`[200, "300-399"]`), as ranges; a status outside 100-599 or a reversed range is refused. */
export function httpStatuses() {
  const status = z.union([z.number(), z.string()]);
  return z
    .union([status, z.array(status)], { error: (issue) => `expected ${EXAMPLE}, or a list of them, got ${describeValue(issue.input)}` })
    .transform((value, context) => {
      const listed = Array.isArray(value);
      if (listed && value.length === 0) context.issues.push({ code: "custom", input: value, message: `expected at least one status, got an empty list (e.g. [200, "300-399"])` });
      return (listed ? value : [value]).map((item, index) => {
        const range = parseStatusRange(item);
        if (typeof range !== "string") return range;
        context.issues.push({ code: "custom", input: item, message: range, ...(listed ? { path: [index] } : {}) });
        return { from: 0, to: 0 };
      });
    });
}

/** The range a written status stands for, or why it stands for none. */
export function parseStatusRange(value: number | string): StatusRange | string {
  const match = typeof value === "number" ? [String(value), String(value)] : /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(value)?.slice(1);
  const [from, to] = (match ?? []).map((part, index, parts) => Number(part ?? parts[0]));
  if (from === undefined || to === undefined || !Number.isInteger(from) || !Number.isInteger(to)) return `expected ${EXAMPLE}, got ${describeValue(value)}`;
  if (from < LOWEST || to > HIGHEST) return `expected statuses from ${LOWEST} to ${HIGHEST}, got ${describeValue(value)}`;
  if (from > to) return `expected a range from the lower status to the higher, got ${quote(String(value))}`;
  return { from, to };
}
