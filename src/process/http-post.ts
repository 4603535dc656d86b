import { VERSION } from "../core/version.js";
import { sendRequest } from "./http-request.js";

/**
 * One JSON POST, reduced to what its sender (an alert channel) classifies: an answer, a network failure in words
 * built from its error code (never the error's message, which may quote the URL and with it a
 * token), or an abort (the channel's timeout, or a shutdown).
 */
export type HttpOutcome =
  | { kind: "answered"; status: number; statusText: string; headers: Readonly<Record<string, string>>; body: string }
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
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "its TLS certificate is not trusted (a self-signed chain)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its TLS certificate is not trusted",
  ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate is for another name",
  EPROTO: "the TLS handshake failed",
  HPE_INVALID_CONSTANT: "the answer is not HTTP",
};

/** Words for a family of codes none of NETWORK_ERRORS names: node's HTTP parser's, OpenSSL's. */
const NETWORK_ERROR_FAMILIES: ReadonlyArray<[prefix: string, words: string]> = [
  ["HPE_", "the answer is not valid HTTP"],
  ["ERR_SSL_", "the TLS handshake failed"],
  ["ERR_TLS_", "the TLS handshake failed"],
];

/**
 * POSTs `payload` as JSON, with `headers` (names are case-insensitive; JSON and Lifeguard's
 * user agent unless they say otherwise); redirects are not followed (a POST redirected becomes a
 * GET that loses the alert). The answer's body is read up to `maxBodyBytes` (64 KiB by default).
 */
export async function postJson(url: string, payload: unknown, headers: Readonly<Record<string, string>>, signal: AbortSignal, maxBodyBytes = MAX_BODY_BYTES): Promise<HttpOutcome> {
  const sent = { "content-type": "application/json", "user-agent": `lifeguard/${VERSION}`, ...lowerCaseNames(headers) };
  try {
    const answer = await sendRequest(url, { method: "POST", headers: sent, body: JSON.stringify(payload), signal, maxBodyBytes });
    return { kind: "answered", ...answer };
  } catch (error) {
    if (signal.aborted) return { kind: "aborted" };
    return { kind: "unreachable", cause: describeNetworkError(error) };
  }
}

/** The same headers with lower-case names; of two that differ only in case, the later wins. */
export function lowerCaseNames(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** `the connection was refused (ECONNREFUSED)`: node's error has the code; an AggregateError when several addresses failed; a wrapped one in `cause`. */
export function describeNetworkError(error: unknown): string {
  const cause = innermost(error);
  const code = codeOf(cause);
  if (code === undefined) return `the request failed (${cause instanceof Error ? cause.name : typeof cause})`;
  const words = NETWORK_ERRORS[code] ?? NETWORK_ERROR_FAMILIES.find(([prefix]) => code.startsWith(prefix))?.[1] ?? "the request failed";
  return `${words} (${code})`;
}

/** The code of a network error (`ECONNREFUSED`), found as `describeNetworkError` finds it; null when it has none. */
export function networkErrorCode(error: unknown): string | null {
  return codeOf(innermost(error)) ?? null;
}

function innermost(error: unknown): unknown {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  return cause instanceof AggregateError && cause.errors[0] !== undefined && codeOf(cause) === undefined ? cause.errors[0] : cause;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
