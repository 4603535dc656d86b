import { createInterface } from "node:readline/promises";
import { LifeguardError } from "../../core/errors.js";
import { resolveChoice, type Asker, type Question } from "./questions.js";

/** Ctrl-C or the end of input at a question: nothing is written (128 + SIGINT, as shells report it). */
const STOPPED = 130;

/**
 * The asker at a terminal (node:readline/promises): a numbered list, the question with its
 * default in brackets, a number or a typed answer, asked again until it passes its check.
 */
export function terminalAsker(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Asker & { close(): void } {
  const rl = createInterface({ input, output, terminal: true });
  let closed = false;
  const ended = new Promise<never>((_, reject) => {
    const stop = () => reject(new LifeguardError("Stopped: nothing was written", { exitCode: STOPPED }));
    rl.once("close", () => {
      closed = true;
      stop();
    });
    rl.on("SIGINT", () => rl.close());
  });
  ended.catch(() => undefined);
  const write = (text: string) => output.write(`${text}\n`);
  return {
    interactive: true,
    say: write,
    async ask(question) {
      question.choices?.forEach((choice, index) => write(`  ${String(index + 1).padStart(2)}) ${choice.label}`));
      for (;;) {
        const typed = await Promise.race([rl.question(`${question.text}${shownDefault(question)}: `), ended]);
        const value = resolveChoice(question, typed);
        const problem = value === "" && question.default === undefined ? "an answer is needed" : question.check?.(value) ?? null;
        if (problem === null) return value;
        write(`  ${problem}`);
      }
    },
    close() {
      if (!closed) rl.close();
    },
  };
}

/** ` [2]` for a default that is the second choice, ` [5m]` for a typed one; nothing for none, or a y/N question's. */
function shownDefault(question: Question): string {
  if (question.default === undefined || question.default === "" || /\by\/N\b|\bY\/n\b/.test(question.text)) return "";
  const index = question.choices?.findIndex((choice) => choice.value === question.default) ?? -1;
  return ` [${index >= 0 ? index + 1 : question.default}]`;
}
