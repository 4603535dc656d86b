import { VERSION } from "../version.js";

/**
 * One JSON POST with the global fetch (Node's undici), reduced to what a channel classifies: an
 * answer, a network failure in words built from its error code (never fetch's message, which may
 * quote the URL and with it a token), or an abort (the channel's timeout, or a shutdown).
 */
export type HttpOutcome =
  | { kind: "answered"; status: number; statusText: string; headers: Headers; body: string }
  | { kind: "unreachable"; cause: string }
  | { kind: "aborted" };

/** Enough for any error description; a receiver that streams more is not read further. */
const MAX_BODY_BYTES = 64 * 1024;

/** Plain words for the network errors a request meets most (the channels' and the dead-man's switch's). */
export const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was reset",
  EPIPE: "the connection was closed while sending",
  ETIMEDOUT: "the connection timed out",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name cannot be resolved now",
  ENETUNREACH: "the network is unreachable",
  EHOSTUNREACH: "the host is unreachable",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  UND_ERR_SOCKET: "the connection closed before an answer",
  UND_ERR_HEADERS_TIMEOUT: "no answer came in time",
  UND_ERR_BODY_TIMEOUT: "the answer stalled",
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "its TLS certificate is not trusted (a self-signed chain)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its TLS certificate is not trusted",
  ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate is for another name",
};

/** POSTs `payload` as JSON; redirects are not followed (a POST redirected becomes a GET that loses the alert). */
export async function postJson(url: string, payload: unknown, headers: Headers, signal: AbortSignal): Promise<HttpOutcome> {
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  if (!headers.has("user-agent")) headers.set("user-agent", `lifeguard/${VERSION}`);
  try {
    const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(payload), signal, redirect: "manual" });
    const body = await readCapped(response, signal);
    return { kind: "answered", status: response.status, statusText: response.statusText, headers: response.headers, body };
  } catch (error) {
    if (signal.aborted) return { kind: "aborted" };
    return { kind: "unreachable", cause: describeNetworkError(error) };
  }
}

/** The body's first MAX_BODY_BYTES as text; an answer whose body breaks off still counts by its status. */
async function readCapped(response: Response, signal: AbortSignal): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch (error) {
    if (signal.aborted) throw error;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString("utf8");
}

/** `the connection was refused (ECONNREFUSED)`: undici puts the system error in `cause`, an AggregateError when several addresses failed. */
export function describeNetworkError(error: unknown): string {
  let cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (cause instanceof AggregateError && cause.errors[0] !== undefined && codeOf(cause) === undefined) cause = cause.errors[0];
  const code = codeOf(cause);
  if (code === undefined) return `the request failed (${cause instanceof Error ? cause.name : typeof cause})`;
  return `${NETWORK_ERRORS[code] ?? "the request failed"} (${code})`;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
