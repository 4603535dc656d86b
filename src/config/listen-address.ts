import { isIPv4, isIPv6 } from "node:net";
import { z } from "zod";
import { describeValue, quote } from "./messages.js";

/** Where a server listens: `127.0.0.1:9473`, `localhost:9473`, `[::1]:9473`. */
export interface ListenAddress {
  /** A host name, an IPv4 address or an IPv6 address (without brackets). */
  host: string;
  /** 0 to 65535; 0 lets the system pick a free port. */
  port: number;
}

/** What `parseListenAddress` accepts, roughly, for editors (the JSON Schema); `parseListenAddress` stays the judge. */
export const LISTEN_PATTERN = "^(\\[[0-9A-Za-z:.%]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}$";

const EXAMPLE = 'an address like "127.0.0.1:9473" or "[::1]:9473"';
const MAX_PORT = 65_535;
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** A listen address `host:port` or `[ipv6]:port`, parsed to `{ host, port }`. */
export function listenAddress() {
  return z
    .string({ error: (issue) => typeMessage(issue.input) })
    .transform((value, context): ListenAddress => {
      const parsed = parseListenAddress(value);
      if ("problem" in parsed) {
        context.issues.push({ code: "custom", input: value, message: `expected ${EXAMPLE}, got ${quote(value)} (${parsed.problem})` });
        return { host: "", port: 0 };
      }
      return parsed;
    })
    .meta({ pattern: LISTEN_PATTERN });
}

/** `host:port` or `[ipv6]:port` as `{ host, port }`, or what is wrong with it. */
export function parseListenAddress(text: string): ListenAddress | { problem: string } {
  const bracketed = /^\[([^\]]*)\](.*)$/.exec(text);
  if (bracketed !== null) {
    const [, host = "", rest = ""] = bracketed;
    if (!isIPv6(host)) return { problem: `the address ${quote(host)} in brackets is not an IPv6 address` };
    if (!rest.startsWith(":")) return { problem: 'the port is missing: write "[ipv6]:port"' };
    return withPort(host, rest.slice(1));
  }
  const colon = text.lastIndexOf(":");
  if (colon === -1) return { problem: `the port is missing: write ${quote(`${text}:9473`)}` };
  const host = text.slice(0, colon);
  if (host.includes(":")) return { problem: "an IPv6 address goes in brackets, e.g. [::1]:9473" };
  if (host === "") return { problem: "the host is missing: write 0.0.0.0:PORT to listen on every interface" };
  const numeric = /^[0-9.]+$/.test(host);
  if (numeric ? !isIPv4(host) : !HOST_NAME.test(host)) return { problem: `the host ${quote(host)} is not ${numeric ? "an IPv4 address" : "a host name"}` };
  return withPort(host, text.slice(colon + 1));
}

function withPort(host: string, port: string): ListenAddress | { problem: string } {
  if (!/^[0-9]+$/.test(port)) return { problem: port === "" ? "the port is missing" : `the port ${quote(port)} is not a number` };
  const number = Number(port);
  if (number > MAX_PORT) return { problem: `the port ${number} is out of range 0 to ${MAX_PORT}` };
  return { host, port: number };
}

function typeMessage(input: unknown): string {
  if (input === undefined) return `missing required key; expected ${EXAMPLE}`;
  if (typeof input === "number") return `expected ${EXAMPLE}, got the bare number ${input} (write 127.0.0.1:${input})`;
  // YAML reads an unquoted `[::1]:9473` as the start of a list.
  if (Array.isArray(input)) return `expected ${EXAMPLE}, got a list (write an IPv6 address in quotes: "[::1]:9473")`;
  return `expected ${EXAMPLE}, got ${describeValue(input)}`;
}
