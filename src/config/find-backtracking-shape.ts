/**
 * A part of a pattern that a backtracking engine (grep -P, Python's re, JavaScript's RegExp)
 * can take exponential time on: a repetition of something that itself repeats (`(a+)+`,
 * `(.*)*`), or of alternatives that match the same text (`(a|a)*`, `(\w|\d)+`).
 */
export interface BacktrackingShape {
  kind: "nested-repetition" | "overlapping-alternatives";
  /** The repeated part as written, its quantifier included: `(a+)+`. */
  fragment: string;
}

/** What one parsed piece knows: where it ends, how it repeats inside, how each alternative starts. */
interface Piece {
  end: number;
  /** An unbounded repetition (`*`, `+`, `{n,}`) is inside. */
  unbounded: boolean;
  /**
   * Some alternative is nothing but repetitions, one of them unbounded (`a+`, `.*`, `\w+\s?`):
   * repeated again, it splits a line in exponentially many ways. `\d+\.` is not loose: every
   * repetition of it must end at a ".".
   */
  loose: boolean;
  /** For a group: its alternatives as written, and the kind of their first atoms. */
  alternatives: Array<{ text: string; first: string }>;
  /** The kind of the piece's first atom: a literal character, `any`, `\w`, `\d`, `\s`, or `?` (unknown). */
  first: string;
}

/**
 * The first backtracking shape of `source`, or undefined when it has none. A heuristic, for a
 * warning: it reads the pattern as RE2 would (escapes, classes, groups, quantifiers) and errs on
 * the side of silence. Lifeguard itself matches in linear time whatever the shape.
 */
export function findBacktrackingShape(source: string): BacktrackingShape | undefined {
  let found: BacktrackingShape | undefined;
  const report = (shape: BacktrackingShape): void => void (found ??= shape);
  parseAlternation(source, 0, report);
  return found;
}

type Report = (shape: BacktrackingShape) => void;

function parseAlternation(source: string, start: number, report: Report): Piece {
  const alternatives: Piece["alternatives"] = [];
  let position = start;
  let unbounded = false;
  let loose = false;
  for (;;) {
    const sequence = parseSequence(source, position, report);
    alternatives.push({ text: source.slice(position, sequence.end), first: sequence.first });
    unbounded ||= sequence.unbounded;
    loose ||= sequence.loose;
    position = sequence.end;
    if (source[position] !== "|") break;
    position += 1;
  }
  return { end: position, unbounded, loose, alternatives, first: alternatives.length === 1 ? (alternatives[0]?.first ?? "?") : "?" };
}

function parseSequence(source: string, start: number, report: Report): Piece {
  let position = start;
  let unbounded = false;
  let allRepeated = true;
  let first: string | undefined;
  while (position < source.length && source[position] !== "|" && source[position] !== ")") {
    const atom = parseAtom(source, position, report);
    const quantifier = readQuantifier(source, atom.end);
    if (quantifier.unbounded && atom.loose) report({ kind: "nested-repetition", fragment: source.slice(position, quantifier.end) });
    else if (quantifier.unbounded && haveOverlap(atom.alternatives)) report({ kind: "overlapping-alternatives", fragment: source.slice(position, quantifier.end) });
    unbounded ||= atom.unbounded || quantifier.unbounded;
    allRepeated &&= quantifier.end > atom.end || atom.loose;
    first ??= atom.first;
    position = quantifier.end;
  }
  return { end: position, unbounded, loose: allRepeated && unbounded, alternatives: [], first: first ?? "?" };
}

function parseAtom(source: string, start: number, report: Report): Piece {
  const char = source[start];
  if (char === "(") {
    const body = start + groupPrefixLength(source, start);
    const inner = parseAlternation(source, body, report);
    return { ...inner, end: Math.min(inner.end + 1, source.length) };
  }
  if (char === "[") return { end: classEnd(source, start), unbounded: false, loose: false, alternatives: [], first: "?" };
  if (char === "\\") {
    const escaped = source[start + 1] ?? "";
    const end = /[pPx]/.test(escaped) && source[start + 2] === "{" ? source.indexOf("}", start) + 1 || source.length : start + 2;
    return { end, unbounded: false, loose: false, alternatives: [], first: /[wds]/.test(escaped) ? `\\${escaped}` : /[A-Za-z0-9]/.test(escaped) ? "?" : escaped };
  }
  if (char === "^" || char === "$") return { end: start + 1, unbounded: false, loose: false, alternatives: [], first: "?" };
  return { end: start + 1, unbounded: false, loose: false, alternatives: [], first: char === "." ? "any" : (char ?? "?") };
}

/** `(`, `(?:`, `(?i:`, `(?P<name>` or `(?<name>`: how many characters come before the group's body. */
function groupPrefixLength(source: string, start: number): number {
  const prefix = /^\((?:\?P?<[^>]*>|\?[A-Za-z-]*:|\?[A-Za-z-]*(?=\)))?/.exec(source.slice(start));
  return prefix?.[0].length ?? 1;
}

/** The index after a character class `[...]` (a `]` first in it is a literal). */
function classEnd(source: string, start: number): number {
  let position = start + 1;
  if (source[position] === "^") position += 1;
  if (source[position] === "]") position += 1;
  while (position < source.length && source[position] !== "]") position += source[position] === "\\" ? 2 : 1;
  return position + 1;
}

/** The quantifier at `start` if any (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy), and whether it is unbounded. */
function readQuantifier(source: string, start: number): { end: number; unbounded: boolean } {
  const quantifier = /^(?:[*+?]|\{\d+(,\d*)?\})\??/.exec(source.slice(start))?.[0];
  if (quantifier === undefined) return { end: start, unbounded: false };
  const unbounded = quantifier.startsWith("*") || quantifier.startsWith("+") || /^\{\d+,\}/.test(quantifier);
  return { end: start + quantifier.length, unbounded };
}

/** Two alternatives that are the same text, or that can start with the same character. */
function haveOverlap(alternatives: Piece["alternatives"]): boolean {
  return alternatives.some((one, index) => alternatives.slice(index + 1).some((other) => one.text === other.text || startsOverlap(one.first, other.first)));
}

function startsOverlap(one: string, other: string): boolean {
  if (one === "?" || other === "?") return false;
  if (one === other || one === "any" || other === "any") return true;
  return covers(one, other) || covers(other, one);
}

/** `\w` covers letters, digits, `_` and `\d`; `\d` covers digits; `\s` covers a space. */
function covers(shorthand: string, first: string): boolean {
  if (shorthand === "\\w") return first === "\\d" || /^[A-Za-z0-9_]$/.test(first);
  if (shorthand === "\\d") return /^[0-9]$/.test(first);
  if (shorthand === "\\s") return first === " ";
  return false;
}
