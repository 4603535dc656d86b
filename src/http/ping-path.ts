import type { PingSignal } from "../core/heartbeat.js";

export type { PingSignal } from "../core/heartbeat.js";

/** A parsed `/ping/...` path. `token` is set only when the path carries it (`/ping/TOKEN/NAME`). */
export interface PingTarget {
  service: string;
  signal: PingSignal;
  token?: string;
}

/** Why a ping path could not be read; the message never repeats the path (it may hold the token). */
export interface PingPathProblem {
  status: 400 | 404;
  message: string;
}

const EXIT_CODE = /^(?:0|[1-9]\d{0,2})$/;
const MAX_EXIT_CODE = 255;

export const PING_FORMS = "/ping/NAME, /ping/NAME/start, /ping/NAME/fail or /ping/NAME/<exit code 0-255>";

/**
 * Reads the segments after `/ping/`. Two forms, as healthchecks.io has them:
 * - `NAME[/SUFFIX]`, the token in the `Authorization` header or `?token=`;
 * - `TOKEN/NAME[/SUFFIX]` (healthchecks.io's `/ping/<ping-key>/<slug>`), for clients that can
 *   only send a URL. Two segments whose last is not a suffix read as `TOKEN/NAME`.
 * SUFFIX is `start`, `fail` or an exit code 0-255.
 */
export function parsePingPath(rawSegments: readonly string[]): PingTarget | PingPathProblem {
  const segments = decodeSegments(rawSegments);
  if (segments === null) return { status: 400, message: "Cannot read the ping path: it holds malformed percent-encoding" };
  if (segments.some((segment) => segment === "")) return notFound();
  const [first, second, third] = segments;
  if (segments.length === 1) return { service: first as string, signal: { kind: "success" } };
  if (segments.length === 2) {
    const signal = readSuffix(second as string);
    return signal === null ? { token: first as string, service: second as string, signal: { kind: "success" } } : { service: first as string, signal };
  }
  if (segments.length === 3) {
    const signal = readSuffix(third as string);
    return signal === null ? notFound() : { token: first as string, service: second as string, signal };
  }
  return notFound();
}

function readSuffix(segment: string): PingSignal | null {
  if (segment === "start" || segment === "fail") return { kind: segment };
  if (!EXIT_CODE.test(segment)) return null;
  const exitCode = Number(segment);
  return exitCode <= MAX_EXIT_CODE ? { kind: "exit", exitCode } : null;
}

function decodeSegments(segments: readonly string[]): string[] | null {
  try {
    return segments.map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}

function notFound(): PingPathProblem {
  return { status: 404, message: `Not a ping path: expected ${PING_FORMS}` };
}

export function isPingPathProblem(value: PingTarget | PingPathProblem): value is PingPathProblem {
  return "status" in value;
}
