import type { RequestQueue } from "../core/requests.js";
import type { UpdateOffsets } from "../core/update-offsets.js";
import type { WatchLedger } from "../core/watch.js";
import type { Store } from "./store.js";

type Attempt = <T>(write: (store: Store) => T, keep: () => T) => T;
type Read = <T>(run: (store: Store) => T, fallback: T) => T;

/**
 * The resilient store's watchers, requests and Telegram offsets: what reports on Lifeguard and what
 * a human asks of it, not what protects a service. A write the disk refuses is dropped, not kept in
 * memory: the next beat goes through when the disk takes writes again, a request that cannot be
 * queued or answered fails for whoever asked, who is told so, and the daemon's reader of Telegram
 * keeps its offset in memory too.
 */
export function resilientReports(attempt: Attempt, read: Read): WatchLedger & RequestQueue & UpdateOffsets {
  return {
    watchers: () => read((store) => store.watchers(), []),
    claimWatch: (records, isLive) => attempt((store) => store.claimWatch(records, isLive), () => null),
    recordCheckRun: (record, isLive) => attempt((store) => store.recordCheckRun(record, isLive), () => undefined),
    beatWatch: (pid, since, at) => attempt((store) => store.beatWatch(pid, since, at), () => undefined),
    endWatch: (pid, since, at, reason) => attempt((store) => store.endWatch(pid, since, at, reason), () => undefined),
    enqueueRequest: (request) => attempt((store) => store.enqueueRequest(request), () => {
      throw new Error("the store cannot be written");
    }),
    takeRequests: (daemonPid) => attempt((store) => store.takeRequests(daemonPid), () => []),
    finishRequest: (id, ok, summary, at) => attempt((store) => store.finishRequest(id, ok, summary, at), () => undefined),
    readRequest: (id) => read((store) => store.readRequest(id), null),
    cancelRequest: (id) => attempt((store) => store.cancelRequest(id), () => false),
    forgetRequest: (id) => attempt((store) => store.forgetRequest(id), () => undefined),
    readUpdateOffset: (bot) => read((store) => store.readUpdateOffset(bot), null),
    saveUpdateOffset: (bot, offset, at) => attempt((store) => store.saveUpdateOffset(bot, offset, at), () => undefined),
  };
}
