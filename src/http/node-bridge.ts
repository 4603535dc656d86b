import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequest, type HttpAnswer, type HttpRequest } from "./exchange.js";

/** Reads a request's body, at most `limit` bytes; null when it is larger (the caller answers 413). */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Buffer | null, error?: Error) => {
      request.off("data", onData).off("end", onEnd).off("error", onError);
      if (error) reject(error);
      else resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop reading; the 413 answer closes the connection, dropping the rest.
        request.pause();
        done(null);
      } else chunks.push(chunk);
    };
    const onEnd = () => done(Buffer.concat(chunks));
    const onError = (error: Error) => done(null, error);
    request.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

/**
 * The handler's request for a node request, its URL on `origin` (the address the server listens
 * on, not the client's Host header). Null for a target that is not a path (`*`, `http://...`).
 */
export function toHttpRequest(request: IncomingMessage, origin: string, body: Buffer, signal: AbortSignal): HttpRequest | null {
  const target = request.url ?? "";
  if (!target.startsWith("/")) return null;
  const headers: Array<[string, string]> = [];
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) headers.push([request.rawHeaders[index] as string, request.rawHeaders[index + 1] as string]);
  return createRequest({ method: request.method ?? "GET", url: new URL(`${origin}${target}`), headers, body, signal, remote: request.socket.remoteAddress ?? "" });
}

/** Writes an answer to a node response, with its length (answers are small and whole; HEAD answers have no body). */
export function writeAnswer(target: ServerResponse, answer: HttpAnswer): void {
  if (target.destroyed) return;
  const body = answer.body === null ? null : Buffer.from(answer.body, "utf8");
  for (const [name, value] of Object.entries(answer.headers)) target.setHeader(name, value);
  target.statusCode = answer.status;
  if (body !== null) target.setHeader("content-length", body.length);
  target.end(body ?? undefined);
}
