import { accessSync, constants } from "node:fs";
import { dirname, join } from "node:path";
import { cgroup2Mount, cgroupPathOf, cgroupProcs, createCgroup, killCgroup, moveToCgroup } from "./cgroup.js";
import { findAddon, loadAddon } from "./native-addon.js";

/**
 * A cgroup v2 subtree systemd delegated to Lifeguard (`Delegate=yes` in its unit), used as
 * systemd's CGROUP_DELEGATION.md asks of a manager that keeps its own tree: Lifeguard moves itself
 * into `<root>/supervisor` (no processes in inner cgroups) and runs each supervised command in
 * `<root>/service-<name>`. Every process a command starts is then in its cgroup, whatever it does
 * (setsid(), a cleared environment, a dead parent), and is stopped with it.
 */
export interface Delegation {
  /** The delegated cgroup (a directory under the cgroup2 mount). */
  root: string;
  /** Where Lifeguard itself runs: a leaf below `root`. */
  supervisor: string;
}

interface XattrReader {
  readXattr(path: string, name: string): string | number;
}

/** How systemd marks a cgroup it delegated (v251 on: `user.` for an unprivileged owner, `trusted.` for root). */
const DELEGATE_ATTRIBUTES = ["trusted.delegate", "user.delegate"];
const SUPERVISOR = "supervisor";

let claimed: Delegation | null = null;

/**
 * The delegated cgroup Lifeguard runs in, or why there is none. Its own cgroup must carry
 * systemd's delegate mark; or its parent must, with Lifeguard already in a subgroup of it
 * (`DelegateSubgroup=`, systemd 254 on). Never a cgroup that was not delegated: creating cgroups
 * below those is systemd's alone.
 */
export function findDelegation(deps: { mount?: string | null; path?: string | null; reader?: XattrReader | null } = {}): { delegation: Delegation } | { reason: string } {
  const mount = deps.mount !== undefined ? deps.mount : cgroup2Mount();
  if (mount === null) return { reason: "no cgroup v2 hierarchy is mounted" };
  const path = deps.path !== undefined ? deps.path : cgroupPathOf("self");
  if (path === null) return { reason: "Lifeguard has no cgroup v2 path (/proc/self/cgroup)" };
  let reader = deps.reader;
  if (reader === undefined) {
    const found = loadAddon<XattrReader>(findAddon());
    reader = "addon" in found && typeof found.addon.readXattr === "function" ? found.addon : null;
  }
  if (reader === null) return { reason: "the native addon that reads systemd's delegate mark is not built" };
  const own = join(mount, path);
  const isDelegated = (dir: string): boolean => DELEGATE_ATTRIBUTES.some((name) => (reader as XattrReader).readXattr(dir, name) === "1");
  let delegation: Delegation | null = null;
  if (isDelegated(own)) delegation = { root: own, supervisor: join(own, SUPERVISOR) };
  else if (path !== "/" && isDelegated(dirname(own))) delegation = { root: dirname(own), supervisor: own };
  if (delegation === null) return { reason: `its cgroup ${path} is not delegated to it` };
  try {
    accessSync(join(delegation.root, "cgroup.procs"), constants.W_OK);
  } catch {
    return { reason: `its delegated cgroup ${delegation.root} is not writable by it` };
  }
  return { delegation };
}

/**
 * Takes the delegated cgroup for the supervised commands: Lifeguard moves itself into
 * `supervisor`. Returns the delegation, or why Lifeguard keeps to process groups, run tokens and
 * the subreaper. Idempotent.
 */
export function claimDelegatedCgroup(find: typeof findDelegation = findDelegation): { delegation: Delegation } | { reason: string } {
  if (claimed !== null) return { delegation: claimed };
  const found = find();
  if (!("delegation" in found)) return found;
  const { delegation } = found;
  try {
    createCgroup(delegation.supervisor);
    moveToCgroup(delegation.supervisor, process.pid);
  } catch (error) {
    return { reason: `Lifeguard cannot move itself into ${delegation.supervisor}: ${(error as Error).message}` };
  }
  claimed = delegation;
  return found;
}

/** The cgroup of one supervised service, created on first use; null when Lifeguard has no delegated cgroup (or cannot create it). */
export function serviceCgroup(service: string): string | null {
  if (claimed === null) return null;
  // Service names are [A-Za-z0-9][A-Za-z0-9_.@-]*: with the prefix, never a kernel file's name (those are "<controller>.<file>").
  const dir = join(claimed.root, `service-${service}`);
  try {
    createCgroup(dir);
    return dir;
  } catch {
    return null;
  }
}

/**
 * Calls `spawn` with Lifeguard inside the cgroup at `dir`, so that the child it forks starts
 * there (fork keeps the parent's cgroup): no instant of the child's life is outside it. Lifeguard
 * moves back to its own leaf before anything else runs. Returns what `spawn` returned and whether
 * the child was born inside; if Lifeguard could not enter the cgroup, the caller moves the child
 * in afterwards.
 */
export function spawnInside<T>(dir: string, spawn: () => T): { result: T; inside: boolean } {
  const home = claimed?.supervisor;
  if (home === undefined) return { result: spawn(), inside: false };
  try {
    moveToCgroup(dir, process.pid);
  } catch {
    return { result: spawn(), inside: false };
  }
  try {
    return { result: spawn(), inside: true };
  } finally {
    returnHome(home);
  }
}

/** Moves a process into the cgroup at `dir`; false when the kernel refused (it ended, or no right). */
export function moveIntoCgroup(dir: string, pid: number): boolean {
  try {
    moveToCgroup(dir, pid);
    return true;
  } catch {
    return false;
  }
}

/** The pids in the cgroup at `dir` (and below); never Lifeguard's own. */
export function processesIn(dir: string): number[] {
  return cgroupProcs(dir).filter((pid) => pid !== process.pid);
}

/**
 * SIGKILLs every process of a service's cgroup at once (`cgroup.kill`). Refused (false) while
 * Lifeguard itself is in it, and on kernels without `cgroup.kill`: signal each process then.
 */
export function killServiceCgroup(dir: string): boolean {
  const mount = cgroup2Mount();
  const own = cgroupPathOf("self");
  if (mount === null || own === null) return false;
  const self = join(mount, own);
  if (self === dir || self.startsWith(`${dir}/`)) return false;
  return killCgroup(dir);
}

function returnHome(home: string): void {
  try {
    moveToCgroup(home, process.pid);
  } catch {
    // Staying in a service's cgroup would put Lifeguard in reach of that service's cgroup.kill
    // (killServiceCgroup refuses then) and of its accounting: give the delegation up instead.
    claimed = null;
  }
}
