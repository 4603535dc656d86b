import { stringify } from "yaml";
import { ConfigError } from "./core/errors.js";
import type { Logger } from "./core/logger.js";
import type { Clock } from "./core/clock.js";
import { loadConfig } from "./config/load.js";
import type { LifeguardConfig } from "./config/types.js";
import { validateConfig } from "./config/validate.js";
import { buildApp } from "./compose/build-app.js";
import { assertOneShot, checkOnce } from "./compose/one-shot.js";
import type { RoundReport } from "./engine/check-round.js";
import { EXIT } from "./core/errors.js";

export interface WatchdogOptions {
  /** Where the watchdog log goes; by default the config's `log:` section. */
  logger?: Logger;
  clock?: Clock;
  /** Environment for `${VAR}` interpolation; default `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * The seed's API: `await new Watchdog(config).runHealthCheck()` is true when every service is
 * healthy and false when something was restarted (or is unhealthy and could not be fixed).
 * `config` is a path to a YAML file, or an object in the YAML file's shape (kebab-case keys).
 */
export class Watchdog {
  readonly #source: string | Record<string, unknown>;
  readonly #options: WatchdogOptions;
  #config: LifeguardConfig | undefined;

  constructor(config: string | Record<string, unknown>, options: WatchdogOptions = {}) {
    this.#source = config;
    this.#options = options;
  }

  /** One round of every check; true when healthy, false when it restarted or is still unhealthy. */
  async runHealthCheck(): Promise<boolean> {
    return (await this.check()).exitCode === EXIT.healthy;
  }

  /** One round with typed results: each service's observations, verdict, restart and events. */
  async check(options: { dryRun?: boolean; signal?: AbortSignal } = {}): Promise<RoundReport> {
    const config = await this.config();
    assertOneShot(config.services);
    const dryRun = options.dryRun === true;
    const app = buildApp(config, { readOnly: dryRun, ...this.#options });
    try {
      return await checkOnce(app, app.services, { dryRun, signal: options.signal ?? new AbortController().signal });
    } finally {
      app.close();
    }
  }

  /** The validated config; throws ConfigError with every problem when it is invalid. */
  async config(): Promise<LifeguardConfig> {
    this.#config ??= await this.#load();
    return this.#config;
  }

  async #load(): Promise<LifeguardConfig> {
    const env = this.#options.env ?? process.env;
    if (typeof this.#source === "string") return loadConfig(this.#source, env);
    const result = validateConfig(stringify(this.#source), { source: "<inline config>", baseDir: process.cwd(), env });
    if (!result.ok) throw new ConfigError(result.issues);
    return result.config;
  }
}
