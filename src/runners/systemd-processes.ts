import type { MemoryLimit, ServiceProcesses } from "../core/runner.js";
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

/** The unit's properties read here: its cgroup (`""` when it runs none), its main pid (0: none), its memory limits. */
const PROPERTIES = ["ControlGroup", "MainPID", "MemoryMax", "MemoryHigh"] as const;
type UnitProperties = Record<(typeof PROPERTIES)[number], string>;

/**
 * The processes of a systemd unit: every process of its cgroup (`ControlGroup`, then `cgroup.procs`
 * of it and below, v2 or v1's `name=systemd` hierarchy), each with its start time, the main one
 * among them, and the unit's memory limit as systemd holds it (enforced or not by the box's
 * cgroups). Read again at each call: a unit's processes come and go.
 */
export async function readUnitProcesses(options: UnitProcessesOptions): Promise<ServiceProcesses | { problem: string }> {
  const read = await readUnitProperties(options);
  if ("problem" in read) return read;
  const memoryLimit = tightestLimit(read);
  const dir = read.ControlGroup === "" ? null : unitCgroupDir(read.ControlGroup);
  if (dir === null) return { processes: [], main: null, source: `unit "${options.unit}" (no cgroup: nothing runs)`, cgroup: null, memoryLimit };
  const processes = cgroupMembers(dir, read.ControlGroup);
  return { processes, main: findMainMember(processes, Number(read.MainPID) || 0), source: `cgroup ${read.ControlGroup}`, cgroup: dir, memoryLimit };
}

/** The properties over the bus while it answers, else from `systemctl show`. */
async function readUnitProperties(options: UnitProcessesOptions): Promise<UnitProperties | { problem: string }> {
  const { unit, bus, timeoutMs, signal } = options;
  const cannot = (why: string) => ({ problem: `Cannot ask systemd for the processes of "${unit}" as ${why}` });
  if (bus !== undefined && bus.down === null) {
    const answers = await Promise.all(PROPERTIES.map((name) => bus.unitProperty(unit, name, timeoutMs, signal)));
    const failure = answers.find((answer) => "failure" in answer);
    if (failure === undefined) return Object.fromEntries(PROPERTIES.map((name, index) => [name, String((answers[index] as { value: unknown }).value)])) as UnitProperties;
    if (!answeredElsewhere(failure.failure)) return cannot(reason({ via: "dbus", bus: failure.failure }, timeoutMs));
  }
  const result = await runCommand([...options.systemctl, "show", `--property=${PROPERTIES.join(",")}`, "--no-ask-password", "--", unit], { timeoutMs, signal });
  return result.ok ? parseUnitProperties(result.stdout) : cannot(reason(result, timeoutMs));
}

/** `ControlGroup=/system.slice/bot.service`, `MainPID=42`... lines, as `systemctl show` writes them; a missing one is empty. */
export function parseUnitProperties(text: string): UnitProperties {
  const values = new Map(text.split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)] as const));
  return Object.fromEntries(PROPERTIES.map((name) => [name, values.get(name) ?? ""])) as UnitProperties;
}

/** The lower of MemoryMax= and MemoryHigh=; `infinity` (systemctl) or 2^64-1 (the bus) sets none. */
function tightestLimit(properties: UnitProperties): MemoryLimit | null {
  let tightest: MemoryLimit | null = null;
  for (const name of ["MemoryHigh", "MemoryMax"] as const) {
    const bytes = Number(properties[name]);
    if (Number.isSafeInteger(bytes) && bytes > 0 && (tightest === null || bytes < tightest.bytes)) tightest = { bytes, from: `${name}=` };
  }
  return tightest;
}
