import type { Watch } from "../watch.js";
import type { FixContext } from "./fixes.js";
import { fail, ok, type Finding } from "./finding.js";

/**
 * A box without systemd as PID 1 (no /run/systemd/system, as sd_booted() tells): a container,
 * where `lifeguard run` is the entrypoint (docs/containers.md). There, no unit, timer, polkit
 * rule or `lifeguard install` can work: only `command:` services under `lifeguard run`.
 */
export const SYSTEMD_RUNTIME_DIR = "/run/systemd/system";
const NO_SYSTEMD = `there is no systemd on this box (no ${SYSTEMD_RUNTIME_DIR})`;

export interface RunWatchContext extends FixContext {
  /** `lifeguard run -c FILE`: what the container's entrypoint must be. */
  run: string;
  /** `lifeguard reload -c FILE`: a running daemon takes the services it lacks. */
  reload: string;
}

/**
 * Who runs Lifeguard on a box without systemd: a `lifeguard run` that watches every service of
 * the configuration, as the store records it (`watches`: each service's watch, as `status` judges
 * it); else the fix is that command as the container's entrypoint. `unreadable`: why the store
 * could not be read (then no watcher is known).
 */
export function judgeRunWatcher(watches: ReadonlyArray<{ service: string; watch: Watch }>, context: RunWatchContext, unreadable: string | null = null): Finding {
  const byRun = (watch: Watch): boolean => watch.kind !== "unwatched" && watch.by.mode === "daemon";
  const stalled = watches.find(({ watch }) => watch.kind === "stalled" && byRun(watch));
  if (stalled !== undefined && stalled.watch.kind === "stalled") {
    return fail("watcher", `lifeguard run (PID ${stalled.watch.by.pid}) runs but has made no round since its last sign of life: its loops are stuck, nothing protects "${stalled.service}"; ` +
      "restart the container (its HEALTHCHECK on /healthz fails meanwhile)");
  }
  const watched = watches.filter(({ watch }) => watch.kind === "watched" && byRun(watch));
  const first = watched[0]?.watch;
  if (first !== undefined && first.kind === "watched" && watched.length === watches.length) {
    return ok("watcher", `lifeguard run (PID ${first.by.pid}) watches ${describeServices(watches.map(({ service }) => service))}: ${NO_SYSTEMD}, and none is needed`);
  }
  if (first !== undefined && first.kind === "watched") {
    const missing = watches.filter(({ watch }) => !(watch.kind === "watched" && byRun(watch))).map(({ service }) => service);
    return fail("watcher", `lifeguard run (PID ${first.by.pid}) runs but does not watch ${describeServices(missing)}: ${missing.length === 1 ? "it was" : "they were"} added to this configuration after lifeguard run read it (or it runs another file on the same state)`, context.reload);
  }
  const gone = watches.find(({ watch }) => watch.kind === "unwatched" && watch.last !== null)?.watch;
  const why = unreadable !== null ? ` (${unreadable})` : gone?.kind === "unwatched" ? ` (${gone.why})` : "";
  return fail("watcher", `nothing runs Lifeguard: ${NO_SYSTEMD}, so \`lifeguard install\` cannot, and no lifeguard run for this configuration runs${why}. ` +
    "Make the command below the container's entrypoint (docs/containers.md), or run it", context.run);
}

/** A `systemd:` service cannot run on a box without systemd: it needs a `command:` that `lifeguard run` starts itself. */
export function judgeUnitWithoutSystemd(service: string, unit: string, edit: string): Finding {
  return fail("unit", `${unit} of "${service}" cannot run here: ${NO_SYSTEMD}. Give "${service}" a command: instead of systemd:, ` +
    "which lifeguard run starts and watches itself (docs/containers.md)", edit);
}

/**
 * The clock on a box without systemd: nothing to ask whether NTP synchronised it (timedatectl
 * needs systemd), and in a container it is the host's, set there, not in the container.
 */
export function judgeClockWithoutSystemd(): Finding {
  return ok("clock", `not judged: ${NO_SYSTEMD} to ask whether NTP has synchronised the clock; a container's clock is its host's, kept there`);
}

function describeServices(services: readonly string[]): string {
  return services.map((service) => `"${service}"`).join(", ");
}
