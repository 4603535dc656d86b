import type { FieldPath } from "./format-path.js";

/** An issue before it is located in the file: a path into the document and a message. */
export interface Problem {
  path: FieldPath;
  message: string;
  /** Offset in the text, when the source already knows it (YAML syntax errors, duplicate keys). */
  offset?: number;
  /** Point at the key of the last path segment (an unknown key, a bad name) rather than at its value. */
  atKey?: boolean;
}
