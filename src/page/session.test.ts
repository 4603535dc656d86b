import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequest } from "../http/exchange.js";
import { readCookie, sessionCookie, sessionCookieName } from "./cookie.js";
import { isSameOrigin } from "./same-origin.js";
import { csrfTokenOf, isCsrfToken, isValidSession, issueSession, SESSION_MS } from "./session.js";

const TOKEN = "s3cret-T0ken-for-tests";
const NOW = Date.UTC(2024, 10, 30, 21, 0, 0);

test("a session is valid with the token that made it until it expires; it is not the token and does not hold it", () => {
  const session = issueSession(TOKEN, NOW);
  assert.equal(session.includes(TOKEN), false);
  assert.equal(isValidSession(session, TOKEN, NOW), true);
  assert.equal(isValidSession(session, TOKEN, NOW + SESSION_MS - 1), true);
  assert.equal(isValidSession(session, TOKEN, NOW + SESSION_MS), false, "expired");
  assert.notEqual(issueSession(TOKEN, NOW), session, "each sign-in is a session of its own");
});

test("a new token ends every session; a session altered in any part, or of another shape, is refused", () => {
  const session = issueSession(TOKEN, NOW);
  assert.equal(isValidSession(session, "the-next-token", NOW), false);
  const [expires = "", nonce = "", mac = ""] = session.split(".");
  assert.equal(isValidSession(`${Number(expires) + 1000}.${nonce}.${mac}`, TOKEN, NOW), false, "a later expiry");
  assert.equal(isValidSession(`${expires}.${nonce.replace(/^./, (c) => (c === "A" ? "B" : "A"))}.${mac}`, TOKEN, NOW), false, "another nonce");
  for (const value of ["", TOKEN, `${expires}.${nonce}`, `${session}.x`, `-1.${nonce}.${mac}`]) assert.equal(isValidSession(value, TOKEN, NOW), false, value);
});

test("a session far beyond its lifetime is refused even with a right MAC: only this Lifeguard's sign-in makes sessions", () => {
  const later = issueSession(TOKEN, NOW + 10 * SESSION_MS);
  assert.equal(isValidSession(later, TOKEN, NOW), false);
});

test("the anti-forgery token belongs to its session and its token", () => {
  const session = issueSession(TOKEN, NOW);
  const csrf = csrfTokenOf(session, TOKEN);
  assert.equal(isCsrfToken(csrf, session, TOKEN), true);
  assert.equal(isCsrfToken(csrf, issueSession(TOKEN, NOW), TOKEN), false, "another session's");
  assert.equal(isCsrfToken(csrf, session, "the-next-token"), false, "after the token changed");
  assert.equal(isCsrfToken("", session, TOKEN), false);
});

const request = (headers: Record<string, string>, origin = "http://127.0.0.1:9473") => createRequest({ method: "POST", url: new URL(`${origin}/sign-in`), headers: Object.entries(headers) });

test("the cookie is HttpOnly, SameSite=Strict, Path=/, named per port, Secure only behind a TLS proxy; deleting it empties it", () => {
  const plain = request({});
  assert.equal(sessionCookieName(plain), "lifeguard-session-9473");
  assert.equal(sessionCookie(plain, "v", SESSION_MS), "lifeguard-session-9473=v; Max-Age=43200; Path=/; HttpOnly; SameSite=Strict");
  assert.equal(sessionCookie(request({ "x-forwarded-proto": "https" }), "v", SESSION_MS), "lifeguard-session-9473=v; Max-Age=43200; Path=/; HttpOnly; SameSite=Strict; Secure");
  assert.equal(sessionCookie(plain, null, 0), "lifeguard-session-9473=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
  assert.equal(readCookie(request({ cookie: "a=1; lifeguard-session-9473=abc.def ; b=2" }), "lifeguard-session-9473"), "abc.def");
  assert.equal(readCookie(request({ cookie: "xlifeguard-session-9473=1" }), "lifeguard-session-9473"), null);
});

test("a form post is from this Lifeguard when its Origin, else its Referer, is where the browser reached it", () => {
  assert.equal(isSameOrigin(request({})), true, "neither header: the anti-forgery token decides");
  assert.equal(isSameOrigin(request({ origin: "http://127.0.0.1:9473" })), true);
  assert.equal(isSameOrigin(request({ origin: "http://localhost:9473", host: "localhost:9473" })), true);
  assert.equal(isSameOrigin(request({ origin: "https://pi.example", host: "pi.example", "x-forwarded-proto": "https" })), true);
  assert.equal(isSameOrigin(request({ origin: "http://evil.example", host: "127.0.0.1:9473" })), false);
  assert.equal(isSameOrigin(request({ origin: "null" })), false);
  assert.equal(isSameOrigin(request({ referer: "http://127.0.0.1:9473/?refresh=off" })), true);
  assert.equal(isSameOrigin(request({ referer: "http://127.0.0.1:9474/" })), false, "another port is another origin");
  assert.equal(isSameOrigin(request({ referer: "not a url" })), false);
});
