import type { Logger } from "../core/logger.js";
import type { Observation } from "../core/outcome.js";
import type { ChannelStatus, ServiceStatus } from "../compose/service-status.js";
import type { ControlDeps } from "../http/control-routes.js";
import type { HttpRequest } from "../http/exchange.js";
import type { HistoryEntry } from "../store/index.js";

/** What the page reads and does, passed in by the daemon: the page opens no store and runs no engine of its own. */
export interface StatusPageDeps {
  /** Null (or empty): nobody can sign in; the page shows names, health and timelines. */
  token: string | null;
  /** Lifeguard listens beyond loopback: every view needs a sign-in. */
  protectReads: boolean;
  now(): number;
  status(): readonly ServiceStatus[];
  channels(): readonly ChannelStatus[];
  /** Newest first (`Store.history`). */
  history(query: { since: number; limit: number }): readonly HistoryEntry[];
  /** The last round's observations of a service; empty before its first. */
  observations(service: string): readonly Observation[];
  /** Carries out a human's request, as for `POST /api/services/NAME/ACTION`; absent: no buttons. */
  control?: ControlDeps["control"];
  /** Hears of refused sign-ins (never the token tried). */
  logger?: Logger;
}

/** The signed-in viewer of a request: its session cookie's value, or null. */
export type SessionOf = (request: HttpRequest) => string | null;
