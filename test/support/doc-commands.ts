/**
 * The `lifeguard` command lines a Markdown document prints, as argv after `lifeguard`: each line of
 * its `sh` blocks and, with `spans`, each inline code span (a usage synopsis such as
 * `lifeguard reset NAME [--state DIR]` is not a command line: leave spans out where there are some), cut at `#` comments and at `&&`, `||`, `;` and `|`
 * outside quotes, with a leading `sudo` dropped. Words are read as the shell reads them (quotes
 * removed); a `$(...)` or `${...}` stays one word.
 */
export function commandLinesIn(markdown: string, options: { spans: boolean }): string[][] {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((match) => (match[1] ?? "").split("\n"));
  const prose = markdown.replace(/^```[\s\S]*?^```$/gm, "");
  const spans = options.spans ? [...prose.matchAll(/(?<!`)`([^`\n]+)`(?!`)/g)].map((match) => match[1] ?? "") : [];
  // `lifeguard` alone is the user's name in prose, not a command.
  return [...blocks, ...spans].flatMap(segments).filter((words) => words[0] === "lifeguard" && words.length > 1).map((words) => words.slice(1));
}

/** The commands of one line, each as its words, `sudo` dropped. */
function segments(line: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | null = null;
  let quote: "'" | '"' | null = null;
  let depth = 0;
  const end = (): void => {
    if (word !== null) commands.at(-1)?.push(word);
    word = null;
  };
  for (let at = 0; at < line.length; at += 1) {
    const char = line.charAt(at);
    if (quote !== null) {
      if (char === quote) quote = null;
      else word = (word ?? "") + char;
    } else if (depth > 0 || (char === "$" && (line[at + 1] === "(" || line[at + 1] === "{"))) {
      // $(...) and ${...} are one word, whatever they hold.
      if (char === "(" || char === "{") depth += 1;
      if (char === ")" || char === "}") depth -= 1;
      word = (word ?? "") + char;
    } else if (char === "'" || char === '"') {
      quote = char;
      word ??= "";
    } else if (char === "#" && word === null) {
      break;
    } else if (/[;&|]/.test(char)) {
      end();
      commands.push([]);
      while (/[;&|]/.test(line.charAt(at + 1))) at += 1;
    } else if (/\s/.test(char)) {
      end();
    } else {
      word = (word ?? "") + char;
    }
  }
  end();
  return commands.map((words) => (words[0] === "sudo" ? words.slice(1) : words));
}
