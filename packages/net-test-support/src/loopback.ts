import { once } from "node:events";
import { type AddressInfo, type Server, type Socket, createConnection, createServer } from "node:net";

/** A listening TCP server on a loopback ephemeral port and a way to get its next accepted socket. */
export async function listenLoopback(): Promise<{ server: Server; port: number; nextSocket(): Promise<Socket> }> {
  const sockets: Socket[] = [];
  const waiters: ((socket: Socket) => void)[] = [];
  const server = createServer((socket) => {
    const waiter = waiters.shift();
    if (waiter !== undefined) {
      waiter(socket);
    } else {
      sockets.push(socket);
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    nextSocket: () => {
      const socket = sockets.shift();
      return socket !== undefined ? Promise.resolve(socket) : new Promise<Socket>((resolve) => waiters.push(resolve));
    },
  };
}

/** Connects to 127.0.0.1:`port`. */
export async function connectLoopback(port: number): Promise<Socket> {
  const socket = createConnection({ host: "127.0.0.1", port });
  await once(socket, "connect");
  return socket;
}

/**
 * A connected pair of sockets over loopback TCP, with Nagle's algorithm off on both: small writes leave at once, as
 * the transports under test send them.
 */
export async function socketPair(): Promise<[Socket, Socket]> {
  const listener = await listenLoopback();
  const [client, server] = await Promise.all([connectLoopback(listener.port), listener.nextSocket()]);
  listener.server.close();
  client.setNoDelay(true);
  server.setNoDelay(true);
  return [client, server];
}
