import { isAbsolute } from "node:path";
import { runCommand } from "../../process/run-command.js";

/** Each systemctl call is bounded: a hung systemd never hangs `init`. */
const SYSTEMCTL_TIMEOUT_MS = 5000;

/** The running services, or why they could not be listed (no systemd here, a hung one). */
export interface UnitList {
  units: string[];
  problem: string | null;
}

/** `systemctl list-units --type=service --state=running --plain --no-legend`, argv only, bounded. */
export async function listRunningUnits(systemctl: readonly string[]): Promise<UnitList> {
  const result = await runCommand([...systemctl, "list-units", "--type=service", "--state=running", "--plain", "--no-legend", "--no-pager"], { timeoutMs: SYSTEMCTL_TIMEOUT_MS });
  if (!result.ok) return { units: [], problem: `systemctl could not list the running services (${firstLine(result.stderr) || result.summary})` };
  return { units: parseUnitList(result.stdout), problem: null };
}

/** The first word of each line that names a service: `cron.service loaded active running ...`. */
export function parseUnitList(stdout: string): string[] {
  return stdout.split("\n").map((line) => line.trim().split(/\s+/)[0] ?? "").filter((unit) => unit.endsWith(".service"));
}

/** Where a unit's log may be: its working directory, the files of `StandardOutput=file:`, its log-like arguments. */
export interface UnitLogHints {
  workingDirectory: string | null;
  /** `StandardOutput=`/`StandardError=` `file:`, `append:` or `truncate:` paths. */
  outputFiles: string[];
  /** Absolute arguments of `ExecStart=` whose name looks like a log (`/home/bot/bot.log`). */
  arguments: string[];
}

/** Reads the hints from `systemctl show` and `systemctl cat` (its file and drop-ins); none on failure. */
export async function unitLogHints(systemctl: readonly string[], unit: string): Promise<UnitLogHints> {
  const [show, cat] = await Promise.all([
    runCommand([...systemctl, "show", unit, "--property=WorkingDirectory", "--property=ExecStart", "--no-pager"], { timeoutMs: SYSTEMCTL_TIMEOUT_MS }),
    runCommand([...systemctl, "cat", unit, "--no-pager"], { timeoutMs: SYSTEMCTL_TIMEOUT_MS }),
  ]);
  return parseUnitHints(show.ok ? show.stdout : "", cat.ok ? cat.stdout : "");
}

/** Pure: the hints from `systemctl show`'s and `systemctl cat`'s output. */
export function parseUnitHints(show: string, cat: string): UnitLogHints {
  const property = (name: string) => new RegExp(`^${name}=(.*)$`, "m").exec(show)?.[1]?.trim() ?? "";
  const directory = property("WorkingDirectory").replace(/^[-!]/, "");
  const argv = /argv\[\]=([^;]*)/.exec(property("ExecStart"))?.[1]?.trim().split(/\s+/) ?? [];
  const outputFiles = [...cat.matchAll(/^\s*Standard(?:Output|Error)\s*=\s*(?:file|append|truncate):(.+?)\s*$/gm)].map((match) => match[1] as string);
  return {
    workingDirectory: isAbsolute(directory) ? directory : null,
    outputFiles: [...new Set(outputFiles.filter((path) => isAbsolute(path)))],
    arguments: argv.slice(1).filter((word) => isAbsolute(word) && /log|\.out$|\.txt$/i.test(word)),
  };
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}
