import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The directories of `PATH` (a default when it is unset), in order. */
export function pathDirs(path = process.env.PATH): string[] {
  return (path ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(delimiter).filter((dir) => dir.startsWith("/"));
}

/** The first executable file `name` in `dirs`, as a search of the path finds it; null when there is none. */
export function findProgram(name: string, dirs: readonly string[] = pathDirs()): string | null {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here: the next directory.
    }
  }
  return null;
}
