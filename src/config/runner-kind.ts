import type { z } from "zod";
import type { RunnerConfig } from "./types.js";

/** What a runner kind's normaliser may use; kinds never see the file system. */
export interface RunnerContext {
  /** The service's name. */
  name: string;
  /** The store's directory, absolute. */
  state: string;
  /** Resolves a path from the file against the config file's directory. */
  resolvePath(path: string): string;
}

/** A service's runner as normalised, and what it controls in words (`gemini-trader.service`, `python3 main.py`). */
export interface RunnerSettings {
  runner: RunnerConfig;
  target: string;
}

/**
 * One runner kind as the config knows it: the key that selects it, every key it owns in a
 * service (all optional in the schema: a service of another kind leaves them out), and how
 * they normalise.
 */
export interface RunnerKindSpec<Shape extends z.ZodRawShape = z.ZodRawShape> {
  /** The key that selects this kind, e.g. `systemd`; it is also the first key of `shape`. */
  key: string;
  /** How the key is written, for messages: `systemd: gemini-trader.service`. */
  example: string;
  shape: Shape;
  /** Called only for a service that has `key`. */
  normalise(service: z.output<z.ZodObject<Shape>>, context: RunnerContext): RunnerSettings;
}

/** Declares a runner kind, keeping its shape's types for the service schema. */
export function defineRunnerKind<Shape extends z.ZodRawShape>(spec: RunnerKindSpec<Shape> & { key: keyof Shape & string }): RunnerKindSpec<Shape> {
  return spec;
}
