import { once } from "node:events";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";

/** A raw TCP server on 127.0.0.1 for the network checks' tests: it answers (or not) as its test says. */
export interface LoopbackServer {
  port: number;
  /** Connections accepted so far. */
  accepted: number;
  /** Connections still open on the server's side. */
  open(): number;
  /** Ends every connection and closes the server. Idempotent. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1, a free port; `onConnection` gets each accepted socket (doing nothing with it is a hang). */
export async function startLoopbackServer(onConnection: (socket: Socket) => void): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    onConnection(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    open: () => sockets.size,
    close: () => {
      closing ??= new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}

/** A client connected to 127.0.0.1:`port` (resolves once connected; its errors are ignored: a test ends it with destroy()). */
export async function connectTo(port: number): Promise<Socket> {
  const client = connect(port, "127.0.0.1");
  client.on("error", () => undefined);
  await once(client, "connect");
  return client;
}
