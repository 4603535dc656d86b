/** Types of scripts/check-cycles.js (plain JS: `npm run lint` runs it without a TypeScript loader). */
export declare function findCycles(dirs: readonly string[], base?: string): string[][];
