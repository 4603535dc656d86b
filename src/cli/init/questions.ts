import { UsageError } from "../../core/errors.js";

/** One choice of a numbered list: what it stands for, and how it is shown. */
export interface Choice {
  value: string;
  label: string;
}

/**
 * One question of `init`. The terminal shows `choices` numbered and takes a number or a typed
 * answer; Enter takes `default`. Without a terminal, `default` is the answer, and a question
 * without one is a usage error naming `flag`.
 */
export interface Question {
  id: string;
  text: string;
  /** The flag that answers it on the command line: `--unit NAME or --command CMD...`. */
  flag: string;
  choices?: readonly Choice[];
  default?: string;
  /** Why the answer will not do (asked again on a terminal), or null. */
  check?(answer: string): string | null;
}

/** Who answers the questions: a person at a terminal, the flags, or a test's script. */
export interface Asker {
  ask(question: Question): Promise<string>;
  /** Tells the user something (a proposal and its reason, a notice): on stdout. */
  say(text: string): void;
  /** A person answers: worth offering what only a person would want (a test alert, a literal secret). */
  readonly interactive: boolean;
}

/**
 * The answer a flag gave, checked as a typed one would be (a bad one is a usage error naming the
 * flag), else the asker's.
 */
export async function answer(asker: Asker, question: Question, given: string | undefined): Promise<string> {
  if (given === undefined) return asker.ask(question);
  const problem = question.check?.(given) ?? null;
  if (problem !== null) throw new UsageError(`Cannot use ${question.flag.split(" ")[0]} ${JSON.stringify(given)}: ${problem}`, HINT);
  return given;
}

const HINT = "Run `lifeguard init` on a terminal to be asked, or see `lifeguard init --help` for the flags.";

/**
 * The asker without a terminal (stdin is not one, or `--yes`): each question takes its default;
 * one without a default is a usage error (exit 64) that names its flag.
 */
export function flagsAsker(say: (text: string) => void, why: string): Asker {
  return {
    interactive: false,
    say,
    ask(question) {
      if (question.default === undefined) throw new UsageError(`Cannot write the configuration without ${question.flag}: ${why}, so "${question.text}" cannot be asked`, HINT);
      const problem = question.check?.(question.default) ?? null;
      if (problem !== null) throw new UsageError(`Cannot use the proposed answer to "${question.text}" (${JSON.stringify(question.default)}): ${problem}; pass ${question.flag}`, HINT);
      return Promise.resolve(question.default);
    },
  };
}

/** A yes/no question's answer. */
export function isYes(answer: string): boolean {
  return /^y(es)?$/i.test(answer.trim());
}

export function checkYesNo(answer: string): string | null {
  return /^(y|yes|n|no)$/i.test(answer.trim()) ? null : "answer y or n";
}

/** A question's answer to a numbered list: the number's choice, else the text as typed. */
export function resolveChoice(question: Question, typed: string): string {
  const trimmed = typed.trim();
  if (trimmed === "") return question.default ?? "";
  const number = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  const choice = question.choices?.[number - 1];
  return choice === undefined ? trimmed : choice.value;
}
