import { CHECK_KINDS } from "./check-kinds.js";
import type { ReadSecretFile } from "./interpolate.js";
import { quote } from "./messages.js";
import type { Problem } from "./problem.js";
import { pathResolver } from "./resolve-path.js";
import type { ParsedConfig } from "./schema.js";

/** The texts of the files checks name (a CA certificate), by resolved path; or what stops each from being read. */
export interface CheckFiles {
  texts: ReadonlyMap<string, string>;
  problems: Problem[];
}

/**
 * Reads every file a check's options name to be read at load (`defineCheckKind`'s `files`), each
 * once, through `readFile` (none: text validated in memory, which has no file to read beside it).
 * A file that cannot be read, or whose text its kind refuses, is a problem at its option.
 */
export function readCheckFiles(parsed: ParsedConfig, origin: { baseDir: string; readFile?: ReadSecretFile }): CheckFiles {
  const resolvePath = pathResolver(origin.baseDir);
  const texts = new Map<string, string>();
  const problems: Problem[] = [];
  for (const [name, service] of Object.entries(parsed.services)) {
    service.checks.forEach((item, index) => {
      for (const spec of CHECK_KINDS) {
        const options = item[spec.kind];
        if (options === undefined) continue;
        for (const { option, file } of spec.files(options)) {
          const path = resolvePath(file.path);
          const at = ["services", name, "checks", index, spec.kind, option];
          const text = texts.get(path) ?? (origin.readFile === undefined ? new Error("only a configuration file's own files can be read") : origin.readFile(path));
          if (text instanceof Error) {
            problems.push({ path: at, message: `cannot read ${quote(path)} as ${text.message}` });
            continue;
          }
          const refused = file.check?.(text) ?? null;
          if (refused !== null) problems.push({ path: at, message: `${quote(path)} ${refused}` });
          else texts.set(path, text);
        }
      }
    });
  }
  return { texts, problems };
}
