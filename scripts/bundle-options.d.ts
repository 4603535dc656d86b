import type { BuildOptions } from "esbuild";

/** Every bundle's options (scripts/bundle-options.js). */
export const COMMON: BuildOptions;
/** Each bundle's entry, by its file name in dist/. */
export const ENTRY_POINTS: Record<"lifeguard-cli" | "lifeguard-run" | "lifeguard-config" | "lifeguard-page", string>;
/** The bundles built minified (whitespace and syntax). */
export const MINIFIED: ReadonlyArray<keyof typeof ENTRY_POINTS>;
/** How they are minified. */
export const MINIFY: Pick<BuildOptions, "minifyWhitespace" | "minifySyntax">;
