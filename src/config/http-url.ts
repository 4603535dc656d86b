import { z } from "zod";
import { quote } from "./messages.js";

/** An http:// or https:// base URL, kept without its trailing slash, so paths are appended to it. */
export function httpBaseUrl() {
  return httpUrlField(true).transform((value) => value.replace(/\/+$/, ""));
}

/** An http:// or https:// URL requested as written (an `http` check's), query included; no user or password in it. */
export function httpUrl() {
  return httpUrlField(false);
}

function httpUrlField(base: boolean) {
  return z.string().check((context) => {
    const problem = urlProblem(context.value, base);
    if (problem !== undefined) context.issues.push({ code: "custom", input: context.value, message: problem });
  });
}

function urlProblem(value: string, base: boolean): string | undefined {
  const expected = "an http:// or https:// URL";
  if (!URL.canParse(value)) return `expected ${expected}, got ${quote(value)}`;
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") return `expected ${expected}, got ${quote(value)}`;
  if (url.username !== "" || url.password !== "") return `expected ${expected} without a user name or password (set an Authorization header instead), got one with them`;
  if (base && (url.search !== "" || url.hash !== "")) return `expected a base URL without "?" or "#", got ${quote(value)}`;
  return undefined;
}
