import { createRequire } from "node:module";
import type * as StatusPage from "../page/status-page.js";

/**
 * The status page's code, loaded at the page's first request. In the daemon's bundle (CommonJS:
 * `__filename` is dist/lifeguard-run.cjs) it is a bundle of its own beside it,
 * dist/lifeguard-page.cjs, required then: within the daemon's bundle, even never run, its code
 * kept an idle daemon some 0.5 MiB larger (measured side by side, 3 daemons each). From the
 * sources (ESM) it is the module itself, by a URL that the bundler leaves alone.
 */
export async function loadStatusPage(): Promise<typeof StatusPage> {
  if (typeof __filename === "string") return createRequire(__filename)("./lifeguard-page.cjs") as typeof StatusPage;
  return (await import(new URL("../page/status-page.js", import.meta.url).href)) as typeof StatusPage;
}
