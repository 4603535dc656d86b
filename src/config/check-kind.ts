import { z } from "zod";
import { duration } from "./fields.js";
import type { Flatten } from "./flatten-type.js";
import { describeValue } from "./messages.js";
import type { ScheduleWindow } from "../core/schedule/window.js";
import { normaliseWindows, windows } from "./schedule.js";

/** What a check kind's normaliser may use; kinds never see the file system. */
export interface CheckContext {
  /** Resolves a path from the file against the config file's directory. */
  resolvePath(path: string): string;
  /** The text of a file the kind's `files` named (its resolved path), read when the config was loaded. */
  fileText(path: string): string;
}

/** A file an option names, read at load (a missing or unreadable one is a config error); `check` says what is wrong with its text, if anything. */
export interface LoadedFile {
  path: string | undefined;
  check?(text: string): string | null;
}

/** The options every kind accepts, with the kind's own default timeout. */
function commonShape(defaultTimeout: string) {
  return {
    timeout: duration({ min: 1 }).prefault(defaultTimeout).describe("Bound on one run of the check; a run that takes longer counts as failed."),
    "alert-only": z.boolean().default(false).describe("Report failures of this check but never restart because of them."),
    active: windows("When this check is judged: a list of windows (`cron`, `timezone`, `holidays`, as the service's `active`). Outside every one of them it does not run and counts neither way; empty: always."),
    quiet: windows("When a failure of this check restarts nothing: a list of windows of the same shape. A round whose every counted failure is inside its check's quiet window holds the restart back, as the service's `quiet` does; empty: never."),
  };
}

/** The options every kind accepts, as parsed. */
export type CommonOptions = z.output<z.ZodObject<ReturnType<typeof commonShape>>>;

/** The settings every check has, from the options every kind accepts. */
function commonSettings<Kind extends string>(kind: Kind, options: CommonOptions) {
  return {
    kind,
    /** Bound on one run of the check; a check that takes longer is a failed observation. */
    timeoutMs: options.timeout,
    /** Report failures but never restart because of them. */
    alertOnly: options["alert-only"],
    ...windowSettings(options),
  };
}

/** The check's windows, each list absent when the file names none. */
function windowSettings(options: CommonOptions): {
  /** The windows in which the check is judged; absent: always. */
  active?: ScheduleWindow[];
  /** The windows in which its failures restart nothing; absent: never. */
  quiet?: ScheduleWindow[];
} {
  return {
    ...(options.active.length === 0 ? {} : { active: normaliseWindows(options.active) }),
    ...(options.quiet.length === 0 ? {} : { quiet: normaliseWindows(options.quiet) }),
  };
}

/** A kind's normalised config before `normalise` gives it an id: the common settings and its own. */
type SettingsOf<Kind extends string, Body> = Flatten<ReturnType<typeof commonSettings<Kind>> & Body>;

/**
 * One check kind as the config knows it: its options (kebab-case, with defaults) and how they
 * normalise into `Settings`, its normalised config before `normalise` gives it an id.
 */
export interface CheckKindSpec<Kind extends string, Settings, Options extends z.ZodType> {
  kind: Kind;
  options: Options;
  normalise(options: CommonOptions, context: CheckContext): Settings;
  /** The check's log patterns, by option name, for `validate`'s warnings; none for most kinds and for a check of another kind. */
  patterns(check: { kind: string }): Array<{ option: string; source: string }>;
  /** The files its options name that are read at load, by option name (as written, not resolved). */
  files(options: CommonOptions): Array<{ option: string; file: LoadedFile & { path: string } }>;
}

/** Declares a check kind; `timeout` and `alert-only` are added to its options, `kind`, `timeoutMs` and `alertOnly` to its settings. */
export function defineCheckKind<Kind extends string, Shape extends z.ZodRawShape, Body extends object>(spec: {
  kind: Kind;
  description: string;
  defaultTimeout: string;
  shape: Shape;
  /** The kind's own settings; their doc comments are the normalised config's. */
  normalise: (options: z.output<z.ZodObject<Shape>>, context: CheckContext) => Body;
  /** The regular expressions of a normalised check, by option name (null: not set). */
  patterns?: (check: SettingsOf<Kind, Body>) => Record<string, string | null>;
  /** The options that name a file read at load (`context.fileText` gives its text to `normalise`). */
  files?: (options: z.output<z.ZodObject<Shape>>) => Record<string, LoadedFile>;
}) {
  type Settings = SettingsOf<Kind, Body>;
  const notAMap = (issue: z.core.$ZodRawIssue) => (issue.code === "invalid_type" ? `expected a map of ${spec.kind} options, got ${describeValue(issue.input)}` : undefined);
  const options = z.strictObject({ ...commonShape(spec.defaultTimeout), ...spec.shape }, { error: notAMap }).describe(spec.description);
  const isOwn = (check: { kind: string }): check is Settings => check.kind === spec.kind;
  const kind: CheckKindSpec<Kind, Settings, typeof options> = {
    kind: spec.kind,
    options,
    normalise: (parsed, context) => ({
      ...commonSettings(spec.kind, parsed),
      // The kind map (check-kinds.ts) parsed these options with this kind's own schema; only their type was lost there.
      ...spec.normalise(parsed as unknown as z.output<z.ZodObject<Shape>>, context),
    }),
    patterns: (check) =>
      Object.entries(isOwn(check) ? (spec.patterns?.(check) ?? {}) : {}).flatMap(([option, source]) => (source === null ? [] : [{ option, source }])),
    files: (parsed) =>
      Object.entries(spec.files?.(parsed as unknown as z.output<z.ZodObject<Shape>>) ?? {}).flatMap(([option, file]) => (file.path === undefined ? [] : [{ option, file: { ...file, path: file.path } }])),
  };
  return kind;
}
