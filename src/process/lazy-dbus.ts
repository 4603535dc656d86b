import { createRequire } from "node:module";
import type * as Dbus from "dbus-native";

// As lazy-re2.ts: resolved from the bundle (`__filename`) or the sources, at the first bus opened,
// so a daemon without a systemd service, and `check`, never load dbus-native and xml2js.
const requireHere = createRequire(typeof __filename === "string" ? __filename : import.meta.url);
let loaded: typeof Dbus | undefined;
export const lazyDbus = (): typeof Dbus => (loaded ??= requireHere("dbus-native") as typeof Dbus);
