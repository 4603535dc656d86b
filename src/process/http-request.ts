import { request as requestHttp, type IncomingHttpHeaders, type IncomingMessage } from "node:http";

/** One outbound request: the channels' POSTs, the dead-man's switch, the `http` check. */
export interface OutboundRequest {
  method: "GET" | "HEAD" | "POST";
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  body?: string;
  /** Aborting ends the request at any stage: connecting, waiting for the answer, reading it. */
  signal: AbortSignal;
  /** The answer's body is read up to this many bytes, the rest dropped with the connection. */
  maxBodyBytes: number;
  /** Hears how far the request got: its connection open (for TLS, the handshake done), the answer's head read. */
  onProgress?: (step: "connected" | "answered") => void;
  /** For https: the CA certificates (PEM) that verify the server's, in place of the system's; the certificate is verified either way. */
  ca?: string;
}

/** The answer; a body that broke off is what arrived before it did (the status still counts). */
export interface OutboundAnswer {
  status: number;
  statusText: string;
  /** Lower-case names; several values of one name joined with ", ". */
  headers: Readonly<Record<string, string>>;
  body: string;
}

/**
 * Sends one request over node:http, or node:https for an https URL (loaded then: a daemon with
 * only http URLs never holds TLS). Not `fetch`: in Node 20 it loads undici, about 7 MiB a daemon
 * would keep resident for its dead-man's switch alone. Redirects are not followed: a 3xx is the
 * answer. Rejects with node's error (its `code` names the reason), or the signal's reason.
 */
export async function sendRequest(url: string, options: OutboundRequest): Promise<OutboundAnswer> {
  const target = new URL(url);
  const request = target.protocol === "https:" ? (await import("node:https")).request : requestHttp;
  options.signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      outcome();
    };
    // A connection of its own, closed after the answer: requests are minutes apart, and a kept-alive
    // socket the server closes just as one is sent would fail it for nothing.
    const tls = options.ca === undefined ? {} : { ca: options.ca };
    const sent = request(target, { method: options.method, headers: options.headers, signal: options.signal, agent: false, ...tls }, (response) => {
      options.onProgress?.("answered");
      readCapped(response, options.maxBodyBytes, (body, complete) => {
        if (!complete && options.signal.aborted) settle(() => reject(options.signal.reason));
        else settle(() => resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? "", headers: flatten(response.headers), body }));
      });
    });
    if (options.onProgress !== undefined) sent.on("socket", (socket) => socket.once(target.protocol === "https:" ? "secureConnect" : "connect", () => options.onProgress?.("connected")));
    sent.on("error", (error) => settle(() => reject(options.signal.aborted ? options.signal.reason : error)));
    sent.end(options.body);
  });
}

/** Calls `done` once: at the end, at the cap (the response destroyed: nothing more is read), or when it broke off. */
function readCapped(response: IncomingMessage, maxBytes: number, done: (body: string, complete: boolean) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const text = (): string => Buffer.concat(chunks).subarray(0, maxBytes).toString("utf8");
  response.on("data", (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size < maxBytes) return;
    done(text(), true);
    response.destroy();
  });
  response.on("end", () => done(text(), true));
  // After "end" too; then it changes nothing. Before it: the connection broke off or was aborted.
  response.on("close", () => done(text(), response.complete));
  response.on("error", () => undefined);
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  return flat;
}
