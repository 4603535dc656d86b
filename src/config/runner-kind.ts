import type { z } from "zod";
import type { Flatten } from "./flatten-type.js";

/** What a runner kind's normaliser may use; kinds never see the file system. */
export interface RunnerContext {
  /** The service's name. */
  name: string;
  /** The store's directory, absolute. */
  state: string;
  /** Resolves a path from the file against the config file's directory. */
  resolvePath(path: string): string;
}

/**
 * One runner kind as the config knows it: the key that selects it, every key it owns in a
 * service (all optional in the schema: a service of another kind leaves them out), and how
 * they normalise: into `Runner`, its normalised config, and what it controls in words
 * (`gemini-trader.service`, `python3 main.py`).
 */
export interface RunnerKindSpec<Kind extends string, Shape extends z.ZodRawShape, Runner> {
  kind: Kind;
  /** The key that selects this kind, e.g. `systemd`; it is also the first key of `shape`. */
  key: keyof Shape & string;
  /** How the key is written, for messages: `systemd: gemini-trader.service`. */
  example: string;
  shape: Shape;
  /** Called only for a service that has `key`. */
  normalise(service: z.output<z.ZodObject<Shape>>, context: RunnerContext): { runner: Runner; target: string };
}

/** Declares a runner kind, keeping its shape's types for the service schema; `kind` is added to its runner's settings. */
export function defineRunnerKind<Kind extends string, Shape extends z.ZodRawShape, Body extends object>(
  spec: Omit<RunnerKindSpec<Kind, Shape, Body>, "normalise"> & {
    /** The kind's own settings, and its target; their doc comments are the normalised config's. */
    normalise(service: z.output<z.ZodObject<Shape>>, context: RunnerContext): { runner: Body; target: string };
  },
): RunnerKindSpec<Kind, Shape, Flatten<{ kind: Kind } & Body>> {
  return {
    ...spec,
    normalise: (service, context) => {
      const { runner, target } = spec.normalise(service, context);
      return { runner: { kind: spec.kind, ...runner }, target };
    },
  };
}
