import { CHECK_KINDS } from "./check-kinds.js";
import { findBacktrackingShape, type BacktrackingShape } from "./find-backtracking-shape.js";
import { quote } from "./messages.js";
import type { LifeguardConfig } from "./types.js";

const SHAPES: Record<BacktrackingShape["kind"], string> = {
  "nested-repetition": "repeats a repetition",
  "overlapping-alternatives": "repeats alternatives that match the same text",
};

/**
 * One warning per log pattern with a shape that backtracking engines take exponential time on
 * (`(a+)+`): harmless in Lifeguard, which matches in linear time (RE2), but the same pattern
 * pasted into grep -P or a script would hang on a line that almost matches.
 */
export function describePatternWarnings(config: LifeguardConfig): string[] {
  return config.services.flatMap((service) =>
    // By check id, not by list index: the normalised list puts `running` first.
    service.checks.flatMap((check) => {
      const spec = CHECK_KINDS.find((kind) => kind.kind === check.kind);
      return (spec?.patterns(check) ?? []).flatMap(({ option, source }) => {
        const shape = findBacktrackingShape(source);
        if (shape === undefined) return [];
        return [`${config.source}: service ${quote(service.name)}, check ${quote(check.id)}, option ${quote(option)}: the pattern ${quote(source)} ${SHAPES[shape.kind]} (${quote(shape.fragment)}): Lifeguard matches it in linear time (RE2), but a backtracking engine (grep -P, Python's re, JavaScript's RegExp) can take exponential time on a line that almost matches`];
      });
    }));
}
