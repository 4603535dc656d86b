import { adminCommand, type FixContext } from "./fixes.js";
import { fail, ok, warn, type Finding } from "./finding.js";

/** The account Lifeguard runs as, and where that was read. */
export interface LifeguardUser {
  name: string;
  uid: number;
  gid: number;
  /** `User= of lifeguard.service`, `--user`, `the user running doctor`... */
  source: string;
}

/** What happened when a file was tried as Lifeguard's user. */
export type Attempt =
  | { kind: "allowed" }
  | { kind: "denied"; blocked: { path: string; need: "r" | "x" | "w" } | null }
  | { kind: "missing" }
  | { kind: "untried"; reason: string };

/** How to try again with the rights to act as another user. */
export type RerunAsRoot = string;

/** A file a check of a service reads: its service, and the unit that writes it, if any. */
export interface CheckedLog {
  service: string;
  path: string;
  unit: string | null;
  /** The command that writes `unit` (`lifeguard install`, from `install-unit:`) while it does not exist; null when it does or nothing would. */
  unitWrittenBy?: string | null;
  /** For a service Lifeguard runs itself (`command:`) while nothing runs it: the command that starts it (`lifeguard run`), and so its log. */
  startedBy?: string | null;
}

/** A file a check of `service` reads, tried as Lifeguard's user. */
export function judgeLog(log: CheckedLog, user: LifeguardUser, attempt: Attempt, context: FixContext & { rerun: RerunAsRoot }): Finding {
  const what = `${log.path} of "${log.service}"`;
  switch (attempt.kind) {
    case "allowed":
      return ok("log", `${what} is readable by user ${user.name}`);
    case "missing": {
      // A unit that does not exist yet cannot be started: install writes it, and starts it.
      const fix = log.unit === null ? log.startedBy ?? undefined : log.unitWrittenBy ?? adminCommand(["systemctl", "start", log.unit], context);
      return fail("log", `${what} does not exist: has the service written it yet, and is the path in the configuration right?`, fix);
    }
    case "untried":
      return warn("log", `${what} was not tried as user ${user.name}: ${attempt.reason}`, context.rerun);
    case "denied": {
      const blocked = attempt.blocked ?? { path: log.path, need: "r" as const };
      const where = blocked.path === log.path ? "" : `: it may not enter the directory ${blocked.path}`;
      return fail("log", `${what} is not readable by user ${user.name}${where}`, adminCommand(["setfacl", "-m", `u:${user.name}:${blocked.need}`, blocked.path], context));
    }
  }
}

/** The state directory, as Lifeguard's user finds it. */
export interface StateAccess {
  dir: string;
  /** Writable (and enterable) by the user; for a missing directory, whether its nearest existing parent is. */
  attempt: Attempt;
  exists: boolean;
  /** The user's group name, for `chown` and `install -g`. */
  group: string;
}

/** The state directory must be writable by Lifeguard's user (or creatable, when missing). */
export function judgeState(state: StateAccess, user: LifeguardUser, context: FixContext & { rerun: RerunAsRoot }): Finding {
  const create = adminCommand(["install", "-d", "-o", user.name, "-g", state.group, "-m", "0750", state.dir], context);
  const { attempt } = state;
  if (attempt.kind === "untried") return warn("state", `${state.dir} was not tried as user ${user.name}: ${attempt.reason}`, context.rerun);
  if (!state.exists) {
    if (attempt.kind === "allowed") return ok("state", `${state.dir} does not exist yet; user ${user.name} may create it at the first run`);
    return fail("state", `${state.dir} does not exist and user ${user.name} may not create it`, create);
  }
  if (attempt.kind === "allowed") return ok("state", `${state.dir} is writable by user ${user.name}`);
  const what = attempt.kind === "denied" && attempt.blocked !== null && attempt.blocked.path !== state.dir ? ` (${attempt.blocked.path} refuses it)` : "";
  return fail("state", `${state.dir} is not writable by user ${user.name}${what}: the store cannot keep restart counts or history`, adminCommand(["chown", "-R", `${user.name}:${state.group}`, state.dir], context));
}
