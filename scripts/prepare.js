#!/usr/bin/env node
// npm's `prepare` step: builds dist/ from src/ (`npm ci` in a checkout, `npm pack`). A package made
// by `npm pack` carries dist/ built and no src/, and `npm ci --omit=dev` installs no TypeScript: both
// are left as they are. A checkout without dev dependencies and without dist/ cannot be built:
// said in one message, with the two ways that work.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.cwd(), "package.json"));
const buildTools = ["typescript", "esbuild"].every((name) => {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
});
const built = existsSync(join("dist", "lifeguard-cli.cjs"));

if (existsSync("src") && buildTools) {
  const result = spawnSync("npm", ["run", "build:js"], { stdio: "inherit" });
  process.exit(result.status ?? 1);
} else if (!built) {
  console.error("lifeguard: dist/ is not built, and the tools that build it (TypeScript, esbuild) are dev dependencies, which --omit=dev left out.");
  console.error("  Either build here first: `npm ci && npm run build && npm prune --omit=dev`,");
  console.error("  or make a package on a machine with the dev dependencies (`npm pack`) and install that: `npm install -g ./lifeguard-<version>.tgz`.");
  process.exit(1);
}
