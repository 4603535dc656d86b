import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { stringify } from "yaml";
import { runCommand, type CommandResult } from "../src/process/run-command.js";
import { SHOW_PROPERTIES } from "../src/runners/systemd-unit-state.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { BIN, installBot, REPO, writeConfig } from "../test/support/lab.js";
import { readBundleMap, type BundleMap } from "./bundle-map.js";
import { summariseProfile } from "./cpu-profile.js";
import { botLine } from "./log-files.js";
import { formatBytes, formatMs, verdict, type Section, type Table } from "./report.js";
import { summarise, type Summary } from "./stats.js";
import { writeNoCacheLauncher } from "./variants.js";

const GOAL_MS = 200;
const BUNDLE = join(REPO, "dist/lifeguard-cli.cjs");
const NODE = process.execPath;
/** One read of a unit over the system bus in a fresh process (the `bus-read` row). */
const BUS_READ = join(REPO, "bench", "bots", "bus-read.cjs");
const RUN_TIMEOUT_MS = 60_000;
const PROFILE_INTERVAL_US = 100;
const PROFILE_TOP = 10;

export interface CheckBenchOptions {
  dataDir: string;
  warmup: number;
  runs: number;
  /** false forces the fallback without a sandbox (a unit that does not exist). */
  sandbox: boolean;
}

/** Where `lifeguard check` runs: in a systemd sandbox through nsenter, or (fallback) on this host. */
interface Stage {
  inSandbox: boolean;
  describe: string;
  /** Shown in front of each command, e.g. `nsenter -t 123 ... --`. */
  prefix: string;
  config: string;
  unit: string;
  /** The exit code a healthy check must give here. */
  checkExit: number | null;
  exec(argv: string[]): Promise<CommandResult>;
  profileDir: string;
  stop(): Promise<void>;
}

interface Variant {
  id: "spawn" | "node" | "import" | "systemctl" | "bus-read" | "check" | "no-cache";
  label: string;
  measures: string;
  argv: string[];
  expectExit: number | null;
}

/** Wall time of `lifeguard check` (one service, three checks) as cron starts it, beside the baselines that explain it. */
export async function benchCheckWallTime(options: CheckBenchOptions): Promise<Section> {
  const stage = await chooseStage(options);
  // Under bench/data: the sandbox, with its own /tmp, sees the checkout.
  mkdirSync(options.dataDir, { recursive: true });
  const scratch = mkdtempSync(join(options.dataDir, "check-variants-"));
  try {
    const variants = variantsFor(stage, writeNoCacheLauncher(scratch));
    const times = await timeVariants(stage, variants, options);
    const bundle = readBundleMap(BUNDLE);
    const profile = await profileCheck(stage, bundle);
    return describe(stage, variants, times, { profile, bundle }, options);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await stage.stop();
  }
}

/** The sandbox when it can run here; else the host fallback, saying why. */
async function chooseStage(options: CheckBenchOptions): Promise<Stage> {
  if (!options.sandbox) return hostStage(options.dataDir, "the sandbox was turned off with --no-sandbox");
  const support = sandboxSupport();
  if (!support.ok) return hostStage(options.dataDir, support.reason);
  try {
    return await sandboxStage();
  } catch (error) {
    return hostStage(options.dataDir, `the sandbox did not start: ${(error as Error).message.split("\n")[0]}`);
  }
}

async function sandboxStage(): Promise<Stage> {
  const sandbox: Sandbox = await startSandbox();
  try {
    // The system bus, for the row that reads the unit over it.
    const bus = await sandbox.exec(["systemctl", "start", "dbus.socket"]);
    if (!bus.ok) throw new Error(`Cannot start the sandbox's dbus.socket: ${bus.stderr.trim() || bus.summary}`);
    const bot = await installBot(sandbox, "bench-bot");
    const config = writeConfig(bot, { checks: threeChecks(bot.log) });
    return {
      inSandbox: true,
      describe: `a real systemd unit (\`${bot.unit}\`, the Python log bot writing a line every 200 ms) in a sandbox (its own systemd as PID 1, \`src/testing/systemd-sandbox.ts\`); each command is started with \`${sandbox.nsenterArgs.join(" ")}\``,
      prefix: "nsenter … --",
      config,
      unit: bot.unit,
      checkExit: 0,
      exec: (argv) => sandbox.exec(argv, { cwd: REPO, timeoutMs: RUN_TIMEOUT_MS }),
      profileDir: join(bot.dir, "profile"),
      stop: () => sandbox.stop(),
    };
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
}

/** Fallback: the same three checks against a unit that does not exist, run directly on this host. */
function hostStage(dataDir: string, reason: string): Stage {
  const dir = join(dataDir, "check-fallback");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const log = join(dir, "bot.log");
  writeFileSync(log, Array.from({ length: 200 }, (_, i) => botLine(i, "2024-11-30 21:00:00")).join(""));
  const unit = "lifeguard-bench-missing.service";
  const config = join(dir, "lifeguard.yaml");
  // A threshold never reached: the failing `running` check is observed but never acted on.
  writeFileSync(config, stringify({ state: join(dir, "state"), services: { bot: { systemd: unit, checks: threeChecks(log), "failure-threshold": 1_000_000 } } }));
  return {
    inSandbox: false,
    describe: `**fallback, no sandbox** (${reason}): a unit that does not exist (\`${unit}\`), run directly on this host, so \`running\` fails and the exit code is not 0`,
    prefix: "",
    config,
    unit,
    checkExit: null,
    exec: (argv) => runCommand(argv, { cwd: REPO, timeoutMs: RUN_TIMEOUT_MS }),
    profileDir: join(dir, "profile"),
    stop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function threeChecks(log: string): unknown[] {
  return ["running", { "log-fresh": { path: log, "max-age": "1m" } }, { "log-activity": { path: log, lines: 100, match: "VIX|Position|Update", min: 1 } }];
}

function variantsFor(stage: Stage, noCacheLauncher: string): Variant[] {
  const { inSandbox } = stage;
  const variants: Variant[] = [
    { id: "spawn", label: "`true`", measures: inSandbox ? "spawning a process through nsenter" : "spawning a process", argv: ["true"], expectExit: 0 },
    { id: "node", label: "`node -e 0`", measures: "Node start-up and exit", argv: [NODE, "-e", "0"], expectExit: 0 },
    { id: "import", label: "`node bin/lifeguard.js --version`", measures: "Node + the launcher loading the CLI bundle with its code cache, printing the version", argv: [NODE, BIN, "--version"], expectExit: 0 },
    { id: "check", label: "`node bin/lifeguard.js check -c CFG`", measures: "one service, checks running + log-fresh + log-activity", argv: [NODE, BIN, "check", "-c", stage.config], expectExit: stage.checkExit },
    { id: "no-cache", label: "`node NO-CACHE-LAUNCHER check -c CFG`", measures: "the same check, the CLI bundle required without a code cache (a launcher the bench writes)", argv: [NODE, noCacheLauncher, "check", "-c", stage.config], expectExit: stage.checkExit },
  ];
  if (inSandbox) {
    variants.splice(3, 0,
      { id: "systemctl", label: "`systemctl show --property=… UNIT`", measures: "the one systemctl call the `running` check makes", argv: ["systemctl", "show", `--property=${SHOW_PROPERTIES.join(",")}`, "--", stage.unit], expectExit: 0 },
      { id: "bus-read", label: "`node bench/bots/bus-read.cjs UNIT`", measures: "the same read over the system bus in a fresh process, as the daemon reads (dbus-native, connect, ListUnitsByNames + 2 Gets)", argv: [NODE, BUS_READ, stage.unit], expectExit: 0 });
  }
  return variants;
}

/** Round-robin over the variants, so that a slow minute of the machine hits them all alike. */
async function timeVariants(stage: Stage, variants: Variant[], options: CheckBenchOptions): Promise<Timings> {
  const samples = new Map(variants.map((v) => [v.id, { times: [] as number[], exitCodes: new Set<number | null>() }]));
  for (let round = 0; round < options.warmup + options.runs; round += 1) {
    for (const variant of variants) {
      const started = performance.now();
      const result = await stage.exec(variant.argv);
      const elapsed = performance.now() - started;
      if (variant.expectExit !== null && result.exitCode !== variant.expectExit) {
        throw new Error(`${variant.label} exited with ${result.exitCode} (expected ${variant.expectExit}): ${result.stdout}${result.stderr}${result.cause ?? ""}`);
      }
      const sample = samples.get(variant.id);
      sample?.exitCodes.add(result.exitCode);
      if (round >= options.warmup) sample?.times.push(elapsed);
    }
  }
  return new Map([...samples].map(([id, s]) => [id, { times: summarise(s.times), exitCodes: s.exitCodes }]));
}

/** One extra check under `--cpu-prof`, summarised by package and source folder. */
async function profileCheck(stage: Stage, bundle: BundleMap): Promise<Profile | null> {
  rmSync(stage.profileDir, { recursive: true, force: true });
  mkdirSync(stage.profileDir, { recursive: true });
  await stage.exec([NODE, "--cpu-prof", `--cpu-prof-dir=${stage.profileDir}`, `--cpu-prof-interval=${PROFILE_INTERVAL_US}`, BIN, "check", "-c", stage.config]);
  const file = readdirSync(stage.profileDir).find((name) => name.endsWith(".cpuprofile"));
  return file === undefined ? null : summariseProfile(join(stage.profileDir, file), BUNDLE, bundle);
}

type Timings = Map<Variant["id"], { times: Summary; exitCodes: Set<number | null> }>;
type Profile = ReturnType<typeof summariseProfile>;

function describe(stage: Stage, variants: Variant[], timings: Timings, where: { profile: Profile | null; bundle: BundleMap }, options: CheckBenchOptions): Section {
  const med = (id: Variant["id"]): number => timings.get(id)?.times.median ?? Number.NaN;
  const check = timings.get("check")?.times as Summary;
  const overhead = med("spawn");
  const corrected = { median: check.median - overhead, p95: check.p95 - overhead };
  const ms = (n: number): string => formatMs(n, 1);
  const row = (v: Variant): string[] => {
    const t = timings.get(v.id)?.times as Summary;
    const isCheck = v.id === "check";
    return [`${stage.prefix} ${v.label}`.trim(), v.measures, ms(t.median), ms(t.p95), isCheck ? `< ${GOAL_MS} ms` : v.id === "no-cache" ? "variant" : "baseline", isCheck ? verdict(t.p95 < GOAL_MS) : "", `${[...(timings.get(v.id)?.exitCodes ?? [])].join(", ")}`];
  };
  const figureRows = variants.filter((v) => v.id !== "no-cache").map(row);
  if (stage.inSandbox) figureRows.push(["check minus the nsenter/spawn overhead", "median and p95 of `check` minus the median of `true`", ms(corrected.median), ms(corrected.p95), `< ${GOAL_MS} ms`, verdict(corrected.p95 < GOAL_MS), ""]);
  figureRows.push(...variants.filter((v) => v.id === "no-cache").map(row));
  const phases: Table = {
    caption: "Where the median goes (differences of medians)",
    columns: ["phase", "ms", "share of check"],
    rows: phaseRows(med, check.median, stage.inSandbox),
  };
  const tables: Table[] = [{ caption: `Wall time per command (${options.runs} runs each after ${options.warmup} warm-up runs, round-robin)`, columns: ["command", "measures", "median", "p95", "goal", "", "exit codes"], rows: figureRows }, phases];
  if (where.profile !== null) tables.push(profileTable(where.profile));
  tables.push(bundleTable(where.bundle));
  return {
    title: "`lifeguard check`: wall time of one service with three checks",
    method: [
      `Target: ${stage.describe}.`,
      "Each command is spawned from the bench process and timed from spawn to exit (`performance.now()`), output read through pipes; Node is the one running the bench, the CLI is the esbuild bundle `dist/lifeguard-cli.cjs` started by `bin/lifeguard.js` with its V8 code cache (written by the warm-up runs), as cron would start it. Files (node, bundle, cache) are in the page cache.",
      `The \`true\` row is what spawning alone costs${stage.inSandbox ? " (fork, nsenter entering the namespaces, exec)" : ""}; \`node -e 0\` and \`--version\` (the launcher loading the bundle) are baselines to split the check's time. The last row runs the same check through a launcher the bench writes (\`bench/variants.ts\`), which requires the bundle as is: no \`vm.Script\`, no cached data; against \`check\` it weighs the code cache. The profile is one more check run with \`--cpu-prof --cpu-prof-interval=${PROFILE_INTERVAL_US}\` (µs), which slows it down a little.`,
    ],
    tables,
    findings: findings(timings, corrected, where.profile, stage),
  };
}

function phaseRows(med: (id: Variant["id"]) => number, check: number, inSandbox: boolean): string[][] {
  const rows: Array<[string, number]> = [
    [inSandbox ? "spawn + nsenter" : "spawn", med("spawn")],
    ["Node start-up and exit (`node -e 0` − `true`)", med("node") - med("spawn")],
    ["loading the CLI bundle with its code cache (`--version` − `node -e 0`)", med("import") - med("node")],
    ["the check's own work: config, store, three checks, state written (check − `--version`)", check - med("import")],
  ];
  if (inSandbox) {
    rows.push(["… of which one `systemctl show` as a process (systemctl − `true`)", med("systemctl") - med("spawn")]);
    rows.push(["the same read over the bus from a fresh Node process (bus-read − `node -e 0`): not spent, the check keeps systemctl", med("bus-read") - med("node")]);
  }
  rows.push(["what the code cache saves (check without it − check)", med("no-cache") - check]);
  return rows.map(([phase, ms]) => [phase, formatMs(ms, 1), `${((ms / check) * 100).toFixed(0)} %`]);
}

function profileTable(profile: Profile): Table {
  const top = profile.shares.slice(0, PROFILE_TOP);
  const rest = profile.shares.slice(PROFILE_TOP).reduce((sum, s) => sum + s.ms, 0);
  const rows = [...top.map((s) => [s.where, formatMs(s.ms, 1)]), ["everything else", formatMs(rest, 1)]];
  return { caption: `CPU profile of one check: self time by place (profile spans ${formatMs(profile.totalMs, 1)}, from the end of Node's bootstrap to exit)`, columns: ["where", "self time"], rows };
}

function bundleTable(bundle: BundleMap): Table {
  const total = bundle.bytes.reduce((sum, b) => sum + b.bytes, 0);
  const rows = bundle.bytes.map((b) => [b.where, formatBytes(b.bytes), `${((b.bytes / total) * 100).toFixed(0)} %`]);
  return { caption: `What the bundle \`dist/lifeguard-cli.cjs\` (${formatBytes(total)}) is made of`, columns: ["from", "size", "share"], rows };
}

function findings(timings: Timings, corrected: { median: number; p95: number }, profile: Profile | null, stage: Stage): string[] {
  const times = (id: Variant["id"]): Summary => timings.get(id)?.times as Summary;
  const check = times("check");
  const figure = stage.inSandbox ? corrected : check;
  const out = [`${verdict(figure.p95 < GOAL_MS)} Goal "under ${GOAL_MS} ms including Node start-up": median ${formatMs(figure.median, 1)}, p95 ${formatMs(figure.p95, 1)}${stage.inSandbox ? " (nsenter overhead taken off)" : ""}.`];
  const startup = times("import").median - times("spawn").median;
  out.push(`Before any check runs, starting Node and loading the bundle take ${formatMs(startup, 1)} (median), ${((startup / check.median) * 100).toFixed(0)} % of the check; the checks, the store and the rest take ${formatMs(check.median - times("import").median, 1)}.`);
  // A tail the baselines share comes from the machine (other load), not from the CLI.
  const tail = (id: Variant["id"]): string => formatMs(times(id).p95 - times(id).median, 1);
  out.push(`Spread (p95 − median): check ${tail("check")}, \`node -e 0\` ${tail("node")}, \`--version\` ${tail("import")}; a spread the baselines share is the machine's (see the load average above), not the CLI's.`);
  const saved = times("no-cache").median - check.median;
  out.push(`The V8 code cache saves ${formatMs(saved, 1)} of the check's median (${((saved / times("no-cache").median) * 100).toFixed(0)} % of the ${formatMs(times("no-cache").median, 1)} it takes without one); p95 ${formatMs(check.p95, 1)} with it, ${formatMs(times("no-cache").p95, 1)} without.`);
  if (stage.inSandbox) {
    const bySystemctl = times("systemctl").median - times("spawn").median;
    const byBus = times("bus-read").median - times("node").median;
    out.push(`${verdict(bySystemctl <= byBus)} \`check\` reads a unit with one \`systemctl show\` (${formatMs(bySystemctl, 1)} over a spawn, median) and not over the bus: in a fresh process, loading dbus-native, connecting and one read take ${formatMs(byBus, 1)} over Node's start (issue 14: "the one-shot check may keep systemctl if that is faster for one round: measure"). The daemon, whose connection stays open, reads over the bus.`);
  }
  if (profile !== null) out.push(`Largest self time in the profile: ${profile.shares.slice(0, 3).map((s) => `${s.where} (${formatMs(s.ms, 1)})`).join(", ")}.`);
  if (stage.checkExit === null) out.push("Fallback figures: the unit does not exist, so `systemctl` answers fast with an error (or is missing) and no restart is tried; on a real unit the `running` check costs what one `systemctl show` costs.");
  return out;
}
