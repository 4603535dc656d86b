/**
 * A request and its answer as the handler sees them: plain values, no socket and no stream.
 * Not the web `Request`/`Response`/`Headers`: in Node 20 those load undici, about 7 MiB that a
 * daemon would keep resident after its first request (measured with `npm run bench`).
 */
export interface HttpRequest {
  /** Upper case, e.g. `GET`. */
  method: string;
  /** The target on the server's own origin (the address it listens on, not the client's Host header). */
  url: URL;
  /** A header's value, several of the same name joined with ", "; null when absent. Names are case-insensitive. */
  header(name: string): string | null;
  body: Buffer;
  /** Aborts when the client went away. */
  signal: AbortSignal;
  /** The client's address, as the socket has it (for who asked, in the history); empty when unknown. */
  remote: string;
}

/** An answer: small and whole. */
export interface HttpAnswer {
  status: number;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** Null: no body (an answer to HEAD). */
  body: string | null;
}

export interface RequestParts {
  method?: string;
  url: URL;
  /** Name and value pairs in the order received; a name may repeat. */
  headers?: Iterable<readonly [string, string]>;
  body?: Buffer;
  signal?: AbortSignal;
  remote?: string;
}

/** The request of `parts` (GET with no header and no body unless given). */
export function createRequest(parts: RequestParts): HttpRequest {
  const headers = new Map<string, string>();
  for (const [name, value] of parts.headers ?? []) {
    const key = name.toLowerCase();
    const before = headers.get(key);
    headers.set(key, before === undefined ? value : `${before}, ${value}`);
  }
  return {
    method: (parts.method ?? "GET").toUpperCase(),
    url: parts.url,
    header: (name) => headers.get(name.toLowerCase()) ?? null,
    body: parts.body ?? Buffer.alloc(0),
    signal: parts.signal ?? new AbortController().signal,
    remote: parts.remote ?? "",
  };
}
