import { lazyRe2 } from "../process/lazy-re2.js";

/**
 * What the syntax of a log pattern is, for messages and docs. Patterns run on RE2 (re2js), whose
 * time is linear in the line's length whatever the pattern: no pattern and no log line can hold
 * up the daemon. RE2 refuses the constructs that need backtracking.
 */
export const PATTERN_SYNTAX = "RE2 syntax: JavaScript's for alternation, classes, anchors, quantifiers and groups, without backreferences or lookaround";

/** Why RE2 has no such construct, said once for each of them. */
const LINEAR_ONLY = "Lifeguard matches in linear time (RE2), which rules out backreferences and lookaround";

/** JavaScript constructs RE2 refuses, each found in the source before RE2's own message would name it less clearly. */
const UNSUPPORTED: ReadonlyArray<{ pattern: RegExp; describe: (found: string) => string }> = [
  { pattern: /^\(\?<?[=!]/, describe: (found) => `${found.includes("<") ? "lookbehind" : "lookahead"} "${found}" is not supported: ${LINEAR_ONLY}` },
  { pattern: /^\\(?:[1-9]|k<)/, describe: (found) => `backreference "${found}" is not supported: ${LINEAR_ONLY}` },
  { pattern: /^\\u(?:\{[0-9A-Fa-f]+\}|[0-9A-Fa-f]{4})?/, describe: (found) => `the escape "${found}" is not supported: write a code point as "\\x{00e9}"` },
];

/**
 * Why `source` cannot be a log pattern (`backreference "\1" is not supported: ...`, or RE2's
 * reason: `missing closing ")" in "VIX|("`), or undefined when it compiles.
 */
export function describePatternProblem(source: string): string | undefined {
  const unsupported = findUnsupported(source);
  if (unsupported !== undefined) return unsupported;
  try {
    lazyRe2().RE2JS.compile(source);
    return undefined;
  } catch (error) {
    return (error as Error).message
      .replace(/^error parsing regexp: /, "")
      .replace(/(closing|unexpected) ([)\]])/, '$1 "$2"')
      .replace(/: `(.*)`$/s, ' in "$1"');
  }
}

/** The first unsupported construct outside a character class (`[(?=]` is three characters), described. */
function findUnsupported(source: string): string | undefined {
  let inClass = false;
  for (let index = 0; index < source.length; index += 1) {
    const rest = source.slice(index);
    for (const { pattern, describe } of inClass ? [] : UNSUPPORTED) {
      const found = pattern.exec(rest)?.[0];
      if (found !== undefined) return describe(found);
    }
    if (rest.startsWith("\\")) index += 1;
    else if (rest.startsWith("[")) inClass = true;
    else if (rest.startsWith("]")) inClass = false;
  }
  return undefined;
}
