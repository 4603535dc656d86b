import type { LifeguardConfig } from "../../config/types.js";
import { judgeRunWatcher, judgeUnitWithoutSystemd, type RunWatchContext } from "../../core/doctor/judge-no-systemd.js";
import type { Finding } from "../../core/doctor/finding.js";
import { judgeWatch, type Watch } from "../../core/watch.js";
import { isRecordedProcessAlive } from "../../process/proc-stat.js";
import { readWatchersIn } from "../../store/index.js";

/**
 * Who runs Lifeguard on a box without systemd: the `lifeguard run` the store records as the
 * watcher of the configuration's services, alive by its pid and start time, as `status` judges it.
 */
export function runWatcherFinding(config: LifeguardConfig | null, now: number, context: RunWatchContext): Finding {
  const records = config === null ? [] : readWatchersIn(config.state);
  const known = new Map(("error" in records ? [] : records).map((record) => [record.service, record]));
  const watches = (config?.services ?? []).map((service): { service: string; watch: Watch } => {
    const record = known.get(service.name) ?? null;
    const alive = record !== null && record.mode === "daemon" && isRecordedProcessAlive(record);
    return { service: service.name, watch: judgeWatch(record, { alive, supervised: service.runner.kind === "process" }, now) };
  });
  return judgeRunWatcher(watches, context, config !== null && "error" in records ? `cannot read the store in ${config.state}: ${records.error}` : null);
}

/** Each `systemd:` service of the configuration: it cannot run where there is no systemd. */
export function unitsWithoutSystemd(config: LifeguardConfig, edit: string): Finding[] {
  return config.services.flatMap((service) => (service.runner.kind === "systemd" ? [judgeUnitWithoutSystemd(service.name, service.runner.unit, edit)] : []));
}
