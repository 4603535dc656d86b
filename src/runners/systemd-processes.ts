import type { ServiceProcesses } from "../core/runner.js";
import { cgroupMembers, findMainMember, unitCgroupDir } from "../process/cgroup-members.js";
import { runCommand } from "../process/run-command.js";
import type { SystemdBus } from "../process/systemd-bus.js";
import { answeredElsewhere, reason } from "./systemd-outcomes.js";

export interface UnitProcessesOptions {
  unit: string;
  /** argv prefix that runs systemctl. */
  systemctl: readonly string[];
  /** Asked first while it answers; systemctl otherwise. */
  bus: SystemdBus | undefined;
  timeoutMs: number;
  signal: AbortSignal;
}

/** What systemd says of the unit's processes: its cgroup (`""` when it runs none) and its main pid (0: none). */
interface UnitCgroup {
  controlGroup: string;
  mainPid: number;
}

/**
 * The processes of a systemd unit: every process of its cgroup (`ControlGroup`, then `cgroup.procs`
 * of it and below, v2 or v1's `name=systemd` hierarchy), each with its start time, and the main one
 * among them. Read again at each call: a unit's processes come and go.
 */
export async function readUnitProcesses(options: UnitProcessesOptions): Promise<ServiceProcesses | { problem: string }> {
  const read = await readUnitCgroup(options);
  if ("problem" in read) return read;
  const dir = read.controlGroup === "" ? null : unitCgroupDir(read.controlGroup);
  if (dir === null) return { processes: [], main: null, source: `unit "${options.unit}" (no cgroup: nothing runs)`, cgroup: null };
  const processes = cgroupMembers(dir, read.controlGroup);
  return { processes, main: findMainMember(processes, read.mainPid), source: `cgroup ${read.controlGroup}`, cgroup: dir };
}

/** `ControlGroup` and `MainPID` over the bus while it answers, else from `systemctl show`. */
async function readUnitCgroup(options: UnitProcessesOptions): Promise<UnitCgroup | { problem: string }> {
  const { unit, bus, timeoutMs, signal } = options;
  if (bus !== undefined && bus.down === null) {
    const [group, main] = await Promise.all([bus.unitProperty(unit, "ControlGroup", timeoutMs, signal), bus.unitProperty(unit, "MainPID", timeoutMs, signal)]);
    const failure = "failure" in group ? group.failure : "failure" in main ? main.failure : null;
    if (failure === null) return { controlGroup: String((group as { value: unknown }).value), mainPid: Number((main as { value: unknown }).value) || 0 };
    if (!answeredElsewhere(failure)) return { problem: `Cannot ask systemd for the processes of "${unit}" as ${reason({ via: "dbus", bus: failure }, timeoutMs)}` };
  }
  const result = await runCommand([...options.systemctl, "show", "--property=ControlGroup,MainPID", "--no-ask-password", "--", unit], { timeoutMs, signal });
  if (!result.ok) return { problem: `Cannot ask systemd for the processes of "${unit}" as ${reason(result, timeoutMs)}` };
  return parseUnitCgroup(result.stdout);
}

/** `ControlGroup=/system.slice/bot.service` and `MainPID=42` lines, as `systemctl show` writes them. */
export function parseUnitCgroup(text: string): UnitCgroup {
  const values = new Map(text.split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)] as const));
  return { controlGroup: values.get("ControlGroup") ?? "", mainPid: Number(values.get("MainPID")) || 0 };
}
