import type { BuildOptions } from "esbuild";

/** Every bundle's options (scripts/bundle-options.js). */
export const COMMON: BuildOptions;
/** The daemon's bundle, dist/lifeguard-run.cjs. */
export const RUN_BUNDLE: BuildOptions;
