import { isAlias, isCollection, isMap, isScalar, isSeq, type Node } from "yaml";
import type { ConfigIssue } from "../core/errors.js";
import { formatPath, type FieldPath } from "./format-path.js";
import type { SourceDocument } from "./parse-source.js";
import type { Problem } from "./problem.js";
import { keyText } from "./yaml-walk.js";

/** Turns a problem into a ConfigIssue with the line and column of the node its path leads to. */
export function locateProblem(problem: Problem, source: SourceDocument, file: string): ConfigIssue {
  const offset = problem.offset ?? offsetOf(source, problem.path, problem.atKey === true);
  const position = offset === undefined ? null : source.lineCounter.linePos(offset);
  return { file, line: position?.line ?? null, column: position?.col ?? null, path: formatPath(problem.path), message: problem.message };
}

/**
 * Follows the path as far as the document goes. A value that is a map or a list is pointed
 * at by its key (`trader:`), a scalar by itself; a path that ends early (a missing key) points
 * at the nearest existing parent.
 */
function offsetOf(source: SourceDocument, path: FieldPath, atKey: boolean): number | undefined {
  let node: unknown = source.document.contents;
  let key: Node | null = null;
  let reached = 0;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(source.document);
    const pair = isMap(node) ? node.items.find((item) => keyText(item) === String(segment)) : undefined;
    if (pair !== undefined) {
      key = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
      key = null;
      node = node.items[segment];
    } else {
      break;
    }
    reached += 1;
  }
  const pointAtKey = key !== null && ((atKey && reached === path.length) || isCollection(node) || isEmpty(node));
  return rangeStart(pointAtKey ? key : node) ?? rangeStart(source.document.contents);
}

/** `key:` with nothing after it: the key is the only place to point at. */
function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function rangeStart(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null)?.range?.[0];
}
