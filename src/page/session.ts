import { tokensEqual } from "../http/token.js";
import { lazyCrypto } from "../process/lazy-crypto.js";

/** How long a sign-in lasts. */
export const SESSION_MS = 12 * 3_600_000;

const SESSION = /^(\d{1,15})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/**
 * The status page's sign-in, kept by the browser as a cookie that is not the token:
 * `EXPIRES.NONCE.MAC`, the MAC an HMAC-SHA256 of the expiry and a random nonce keyed with the
 * token. Nothing is stored in Lifeguard: a session is valid while its MAC matches and it has not
 * expired, so a new token (a config reload) ends every session, and a stolen cookie is worth at
 * most SESSION_MS, never the token. (Signing out deletes the browser's copy only.)
 */
export function issueSession(token: string, now: number): string {
  const expires = String(now + SESSION_MS);
  const nonce = lazyCrypto().randomBytes(16).toString("base64url");
  return `${expires}.${nonce}.${mac(token, `session:${expires}:${nonce}`)}`;
}

/** Whether `value` is a session `issueSession` made with `token` that has not expired at `now`; compared in constant time. */
export function isValidSession(value: string, token: string, now: number): boolean {
  const match = SESSION.exec(value);
  if (match === null) return false;
  const [, expires = "", nonce = "", presented = ""] = match;
  const valid = tokensEqual(presented, mac(token, `session:${expires}:${nonce}`));
  const until = Number(expires);
  return valid && until > now && until <= now + SESSION_MS;
}

/**
 * The anti-forgery token of a session, for the hidden field of the page's forms: an HMAC of the
 * session with the token. Another site can make the browser send the cookie (not with
 * `SameSite=Strict`, but older browsers), never read the page that holds this.
 */
export function csrfTokenOf(session: string, token: string): string {
  return mac(token, `csrf:${session}`);
}

/** Whether a form's `csrf` field is the session's anti-forgery token; compared in constant time. */
export function isCsrfToken(presented: string, session: string, token: string): boolean {
  return tokensEqual(presented, csrfTokenOf(session, token));
}

function mac(token: string, text: string): string {
  return lazyCrypto().createHmac("sha256", token).update(text, "utf8").digest("base64url");
}
