import { parseLineTime, type TimeShape } from "./line-time.js";

/** A proposed `match` for `log-activity` (null: none fits, log-fresh alone), and why. */
export interface MatchProposal {
  pattern: string | null;
  why: string;
}

/** Only the last lines say what the bot does now. */
export const SAMPLE_LINES = 200;
/** A line is judged by its start: a megabyte line is mostly payload. */
const LINE_CHARS = 500;
/** A word in at least this share of the lines is what the bot keeps saying while it works. */
const FREQUENT_SHARE = 0.5;
/** A shape (a timestamp, a first word) shared by at least this share of the lines is the log's. */
const SHAPE_SHARE = 0.8;
const MAX_WORDS = 3;
/** Fewer lines than this cannot tell a recurring word from a one-off. */
const MIN_LINES_FOR_WORDS = 3;
const WORD = /\b[A-Za-z][A-Za-z_]{2,}\b/g;
/** Words that say the bot is alive, even when they are in only a few lines. */
const HEARTBEAT = /^(heartbeat|alive|tick|ping|pong|poll|polled|polling|update|updated|processed|fetched|received|cycle|loop|iteration|status|ok)$/i;
/** Log levels, dates and failure words: they say nothing of work being done, or say the opposite. */
const NOT_ACTIVITY = new Set(
  ("debug info information notice warn warning error errors err crit critical fatal trace severe " +
    "jan feb mar apr may jun jul aug sep oct nov dec mon tue wed thu fri sat sun " +
    "exception traceback failed failure fail refused timeout timed denied unable cannot " +
    "the and for with from that this not was are").split(" "),
);
const SHAPE_PATTERNS: Record<TimeShape, { pattern: string; example: string }> = {
  iso: { pattern: String.raw`^\W{0,3}\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d`, example: "2024-11-30 21:00:01" },
  syslog: { pattern: String.raw`^\W{0,3}[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d`, example: "Nov 30 21:00:01" },
};

/**
 * A `match` from the log's last lines, by preference: the words most lines carry (the seed's
 * `VIX|Position|Update`), a heartbeat-like word that recurs, the timestamp or first word every
 * line starts with, or none. Binary lines are skipped and long lines judged by their start. Pure.
 */
export function proposeMatch(sample: readonly string[]): MatchProposal {
  const lines = sample.slice(-SAMPLE_LINES).filter(isText).map((line) => line.slice(0, LINE_CHARS));
  if (lines.length === 0) return { pattern: null, why: "the log's last lines hold no readable text, so there is nothing to match: log-fresh alone watches it" };
  const of = `of the last ${lines.length} line${lines.length === 1 ? "" : "s"}`;
  const counts = wordCounts(lines.map(bodyOf));
  if (lines.length >= MIN_LINES_FOR_WORDS) {
    const frequent = [...counts].filter(([word, count]) => count >= lines.length * FREQUENT_SHARE && !NOT_ACTIVITY.has(word.toLowerCase()));
    if (frequent.length > 0) {
      const chosen = frequent.sort((a, b) => b[1] - a[1]).slice(0, MAX_WORDS).map(([word]) => word);
      const words = firstSeenOrder(chosen, counts);
      const each = words.map((word) => `"${word}" in ${counts.get(word)}`).join(", ");
      return { pattern: words.join("|"), why: `words the bot keeps writing: ${each} ${of}; a window of lines without any of them means it stopped working` };
    }
    const beat = [...counts].filter(([word, count]) => count >= 2 && HEARTBEAT.test(word)).sort((a, b) => b[1] - a[1])[0];
    if (beat !== undefined) return { pattern: beat[0], why: `"${beat[0]}" is in ${beat[1]} ${of}: a line that says the bot is alive` };
  }
  return leadingShape(lines);
}

/** `^<timestamp shape>` or `^<first word>` when nearly every line starts so; else none. */
function leadingShape(lines: readonly string[]): MatchProposal {
  const shapes = lines.map((line) => parseLineTime(line)?.shape ?? null);
  const but = lines.length < MIN_LINES_FOR_WORDS ? "too few lines to tell which words recur, but" : "no word recurs, but";
  const start = lines.length === 1 ? "starts" : "start";
  for (const shape of ["iso", "syslog"] as const) {
    if (shapes.filter((s) => s === shape).length >= lines.length * SHAPE_SHARE) {
      const { pattern, example } = SHAPE_PATTERNS[shape];
      return { pattern, why: `${but} ${share(shapes.filter((s) => s === shape).length, lines.length)} ${start} with a time like "${example}": any such line counts as activity (a traceback's other lines do not)` };
    }
  }
  const firsts = lines.map((line) => /^\S+/.exec(line)?.[0] ?? "");
  const first = mostCommon(firsts.filter((word) => word !== ""));
  if (first !== undefined && first.count >= lines.length * SHAPE_SHARE) {
    return { pattern: `^${escapeRegex(first.value)}`, why: `${but} ${share(first.count, lines.length)} ${start} with "${first.value}": any such line counts as activity` };
  }
  return { pattern: null, why: `the last ${lines.length} lines share no word or shape to look for: log-fresh alone watches the log (add a log-activity check by hand when you know what a working bot writes)` };
}

/** The line after its timestamp and, for syslog, its `host program[pid]:`. */
function bodyOf(line: string): string {
  const time = parseLineTime(line);
  if (time === null) return line;
  const rest = line.slice(time.length);
  return time.shape === "syslog" ? rest.replace(/^\s*\S+\s+[^\s:]+:\s/, "") : rest;
}

/** In how many lines each word occurs (once per line). */
function wordCounts(bodies: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const body of bodies) {
    for (const word of new Set(body.match(WORD) ?? [])) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

/** The words in the order the log first wrote them (a Map keeps insertion order). */
function firstSeenOrder(words: readonly string[], counts: Map<string, number>): string[] {
  return [...counts.keys()].filter((word) => words.includes(word));
}

function mostCommon(values: readonly string[]): { value: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best === undefined ? undefined : { value: best[0], count: best[1] };
}

/** `all 40 last lines`, `35 of the last 40 lines`, `the only line read`. */
function share(count: number, total: number): string {
  if (total === 1) return "the only line read";
  return count === total ? `all ${total} last lines` : `${count} of the last ${total} lines`;
}

/** Text, not binary: no NUL, and few control or undecodable characters. */
export function isText(line: string): boolean {
  if (line.trim() === "" || line.includes("\u0000")) return false;
  // eslint-disable-next-line no-control-regex
  const odd = line.slice(0, LINE_CHARS).match(/[\u0001-\u0008\u000b-\u001f\u007f\ufffd]/g)?.length ?? 0;
  return odd <= Math.min(line.length, LINE_CHARS) * 0.1;
}

export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}/]/g, "\\$&");
}
