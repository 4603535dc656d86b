import { isScalar, LineCounter, parseDocument, visit, type Document } from "yaml";
import { quote } from "./messages.js";
import type { Problem } from "./problem.js";
import { protectReferences } from "./protect-references.js";
import { keyText, walkYaml } from "./yaml-walk.js";

/** A parsed YAML document with what is needed to point into its text. */
export interface SourceDocument {
  document: Document.Parsed;
  lineCounter: LineCounter;
}

/**
 * Parses the YAML text. Only the first syntax error is reported, with the parser's position:
 * the parser's later errors are mostly echoes of it. Duplicate keys are found here (the parser
 * is told to allow them) so that each names its path and the line of the first one.
 */
export function parseSource(text: string): { source: SourceDocument; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const references = protectReferences(text);
  const document = parseDocument(references.text, { lineCounter, prettyErrors: false, uniqueKeys: false, merge: true });
  visit(document, {
    Scalar(_key, scalar) {
      if (typeof scalar.value === "string") scalar.value = references.restore(scalar.value);
    },
  });
  const error = document.errors[0];
  if (error !== undefined) {
    const detail = error.code === "MULTIPLE_DOCS" ? 'expected one document, got several (a line "---" starts another)' : lowerFirst(references.restore(error.message));
    const message = `invalid YAML: ${detail}`;
    return { source: { document, lineCounter }, problems: [{ path: [], offset: error.pos[0], message }] };
  }
  return { source: { document, lineCounter }, problems: findDuplicateKeys(document, lineCounter) };
}

/** True when the file holds no data at all (empty, or only comments). */
export function isEmptyDocument(document: Document.Parsed): boolean {
  const contents = document.contents;
  return contents === null || (isScalar(contents) && contents.value === null);
}

function findDuplicateKeys(document: Document.Parsed, lineCounter: LineCounter): Problem[] {
  const problems: Problem[] = [];
  walkYaml(document.contents, [], {
    map(map, path) {
      const firstLines = new Map<string, number>();
      for (const pair of map.items) {
        const key = keyText(pair);
        if (key === "<<") continue;
        const offset = (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
        const first = firstLines.get(key);
        if (first === undefined) firstLines.set(key, lineCounter.linePos(offset).line);
        else problems.push({ path: [...path, key], offset, message: `duplicate key ${quote(key)} (already set on line ${first})` });
      }
    },
  });
  return problems;
}

function lowerFirst(message: string): string {
  return /^[A-Z][a-z]/.test(message) ? message.charAt(0).toLowerCase() + message.slice(1) : message;
}
