import type { ProcStat } from "../../process/proc-stat.js";
import type { LeaderExit } from "./spawn-run.js";

/** What stopped a start before the process ran, as the end of `Cannot start "bot" as ...`. */
export function describeSpawnError(error: NodeJS.ErrnoException, context: { program: string; cwd: string | undefined; cwdExists: boolean; user: string | undefined }): string {
  const { program, cwd, user } = context;
  // Node reports a missing working directory as the program's ENOENT.
  if (error.code === "ENOENT" && cwd !== undefined && !context.cwdExists) return `its working directory "${cwd}" does not exist`;
  if (error.code === "ENOENT") return `"${program}" was not found`;
  if (error.code === "EACCES") return `"${program}" may not be run${user === undefined ? "" : ` by user "${user}"`} (permission denied)`;
  if (error.code === "ENOTDIR" && cwd !== undefined) return `its working directory "${cwd}" is not a directory`;
  if (error.code === "EPERM" && user !== undefined) return `Lifeguard may not switch to user "${user}" (it runs as uid ${process.getuid?.() ?? "?"})`;
  return `"${program}" could not be run (${error.code ?? error.message})`;
}

/** `exited with code 1` or `was killed by SIGSEGV`. */
export function describeExit(exit: Pick<LeaderExit, "code" | "signal">): string {
  return exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${String(exit.code)}`;
}

/** `PID 5 is still running` or `3 of its processes are still running (PIDs 5, 6, 7)`. */
export function describeLeft(members: readonly ProcStat[]): string {
  const [only] = members;
  if (members.length === 1 && only !== undefined) return `PID ${only.pid} is still running${only.state === "D" ? " (in uninterruptible sleep)" : ""}`;
  return `${members.length} of its processes are still running (PIDs ${members.map((member) => member.pid).join(", ")})`;
}

/** `1 process`, `2 processes`. */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** An outcome's optional `cause`, left out when there is none. */
export function causeOf(text: string | undefined): { cause?: string } {
  return text === undefined ? {} : { cause: text };
}
