import { parseDuration } from "../core/duration.js";
import { authorize } from "./authorize.js";
import type { HttpAnswer, HttpRequest } from "./exchange.js";
import { errorResponse, jsonResponse } from "./json-response.js";

const RELOAD_PATH = "/api/reload";
const SERVICE_ACTION = /^\/api\/services\/([^/]+)\/([a-z-]+)$/;

/** Whether `answerControl` answers this path. */
export function isControlPath(pathname: string): boolean {
  return pathname === RELOAD_PATH || SERVICE_ACTION.test(pathname);
}

/** What may be asked of one service over HTTP; the same as the CLI's `lifeguard ACTION NAME`. */
export const CONTROL_ACTIONS = ["restart", "stop", "start", "pause", "resume", "reset"] as const;
export type HttpControlAction = (typeof CONTROL_ACTIONS)[number];

/** How an action ended: `unknown` when there is no such service. */
export interface ControlAnswer {
  ok: boolean;
  summary: string;
  unknown?: true;
}

/** A pause's options, as the body gives them. */
export interface PauseOptions {
  /** Null: until resumed. */
  forMs: number | null;
  reason: string | null;
}

export interface ControlDeps {
  token: string | null;
  /** Carries out `action` on `service` for `by` (`http (127.0.0.1)`). */
  control(service: string, action: HttpControlAction, pause: PauseOptions, by: string): Promise<ControlAnswer>;
  reload(by: string): Promise<ControlAnswer>;
}

/**
 * `POST /api/services/NAME/ACTION` (restart, stop, start, pause, resume, reset) and `POST
 * /api/reload`. They change what runs: only with the token, and only in the Authorization header
 * (a token in a URL ends up in logs and browser histories; a browser sends that header across
 * origins only after a CORS preflight Lifeguard never grants, so a page elsewhere cannot forge it).
 * A pause takes a JSON body `{"for": "1h", "reason": "deploy"}`, both optional. 200 when done, 404
 * for an unknown service, 409 when it could not be done, 400 for a bad body.
 */
export async function answerControl(request: HttpRequest, deps: ControlDeps): Promise<HttpAnswer> {
  const { pathname } = request.url;
  const reload = pathname === RELOAD_PATH;
  const match = SERVICE_ACTION.exec(pathname);
  if (request.method !== "POST") return errorResponse(405, `Cannot ${request.method} ${pathname}: it takes POST`, { allow: "POST" });
  if (request.url.searchParams.has("token")) return errorResponse(401, `Cannot accept a request for ${pathname} with the token in the URL: send "Authorization: Bearer TOKEN"`);
  const denied = authorize(request, deps.token, `a request for ${pathname}`);
  if (denied !== null) return denied;
  const by = `http (${request.remote === "" ? "unknown address" : request.remote})`;
  if (reload) return answered(await deps.reload(by));
  const [, encoded = "", action = ""] = match ?? [];
  if (!(CONTROL_ACTIONS as readonly string[]).includes(action)) return errorResponse(404, `Not found: a service takes ${CONTROL_ACTIONS.join(", ")}`);
  let service: string;
  try {
    service = decodeURIComponent(encoded);
  } catch {
    return errorResponse(400, "Cannot read the service name in the path: it is not valid percent-encoding");
  }
  const pause = readPause(request, action as HttpControlAction);
  if ("problem" in pause) return errorResponse(400, pause.problem);
  return answered(await deps.control(service, action as HttpControlAction, pause, by));
}

function answered(answer: ControlAnswer): HttpAnswer {
  if (answer.unknown === true) return errorResponse(404, answer.summary);
  return answer.ok ? jsonResponse(200, { ok: true, summary: answer.summary }) : jsonResponse(409, { ok: false, error: answer.summary });
}

function readPause(request: HttpRequest, action: HttpControlAction): PauseOptions | { problem: string } {
  const text = request.body.toString("utf8").trim();
  if (text === "") return { forMs: null, reason: null };
  if (action !== "pause") return { problem: `Cannot read a body for "${action}": only pause takes one` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { problem: 'Cannot read the body: expected JSON such as {"for": "1h", "reason": "deploy"}' };
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return { problem: 'Cannot read the body: expected a JSON object such as {"for": "1h"}' };
  const { for: duration, reason, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) return { problem: `Cannot read the body: unknown field ${JSON.stringify(extra)} (a pause takes "for" and "reason")` };
  if (duration !== undefined && (typeof duration !== "string" || !((parseDuration(duration) ?? 0) > 0))) {
    return { problem: `Cannot read "for": expected a duration such as "30m" or "2h", got ${JSON.stringify(duration)}` };
  }
  if (reason !== undefined && typeof reason !== "string") return { problem: `Cannot read "reason": expected a string, got ${JSON.stringify(reason)}` };
  return { forMs: duration === undefined ? null : (parseDuration(duration as string) as number), reason: reason === undefined || reason.trim() === "" ? null : reason.trim() };
}
