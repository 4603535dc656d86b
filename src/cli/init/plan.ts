/** The alert channel kinds `init` can set up, as the schema names them, and none. */
export const ALERT_KINDS = ["telegram", "email", "webhook", "alertmanager", "exec", "none"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** A value kept out of the file as `${env}`; `value` when the user gave it (for the test alert, or written literally). */
export interface Secret {
  secret: string;
  value?: string;
}

/** A setting as the file holds it: a scalar, a list of words, a secret, or a map of settings. */
export type Setting = string | number | boolean | string[] | Secret | { [key: string]: Setting };

/** One alert channel: its `type` and settings in file order, and a comment for each that needs one. */
export interface ChannelPlan {
  type: Exclude<AlertKind, "none">;
  name: string;
  settings: Record<string, Setting>;
  comments: Record<string, string>;
  /** What the channel does, for the comment above it. */
  about: string;
}

/** The unit `lifeguard install` writes for a bot that has none yet (`install-unit:`), from init's flags. */
export interface UnitPlan {
  execStart: string[];
  /** `User=`; null: root. */
  user: string | null;
  /** Absolute; null: none. */
  workingDirectory: string | null;
  memoryMax: string | null;
  cpuQuota: string | null;
}

/** Everything `init` decided, with why: what the config file is written from. */
export interface InitPlan {
  name: string;
  service: { systemd: string; installUnit?: UnitPlan } | { command: string[] };
  /** The log the checks watch; for a command, its output as Lifeguard captures it unless another was chosen. */
  log: { path: string; why: string };
  /** null: no log-activity check. */
  match: { pattern: string | null; why: string };
  maxAge: { value: string; why: string };
  channel: ChannelPlan | null;
  /** Secrets written into the file as they are (the user insisted); the file is then mode 0600. */
  literalSecrets: boolean;
  state: string;
}

/** What the flags of `lifeguard init` say; each answers the question of the same name. */
export interface InitFlags {
  config?: string;
  unit?: string;
  command?: string[];
  /** With --unit and --command: the unit install writes runs as this user, in this directory, with these limits. */
  runAs?: string;
  workdir?: string;
  memoryMax?: string;
  cpuQuota?: string;
  name?: string;
  log?: string;
  match?: string;
  maxAge?: string;
  alert?: string;
  telegramChat?: string;
  emailTo?: string;
  emailFrom?: string;
  smtpHost?: string;
  smtpPort?: string;
  smtpUser?: string;
  webhookPreset?: string;
  alertmanagerUrl?: string;
  exec?: string;
  literalSecrets?: boolean;
  testAlert?: boolean;
  yes?: boolean;
  force?: boolean;
}


/** Is `value` a secret reference? */
export function isSecret(value: Setting): value is Secret {
  return typeof value === "object" && !Array.isArray(value) && typeof (value as Secret).secret === "string";
}

/** Every secret of a channel, nested ones included. */
export function secretsOf(settings: Record<string, Setting>): Secret[] {
  return Object.values(settings).flatMap((value) => {
    if (isSecret(value)) return [value];
    return typeof value === "object" && !Array.isArray(value) ? secretsOf(value) : [];
  });
}
