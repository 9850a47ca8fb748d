import type { Server } from "node:net";

import { socketException } from "./socket-errors.js";
import { describeEndpoint } from "./socket-information.js";

/**
 * Starts `server` (a net, TLS, HTTP or HTTPS server) listening on `host:port`; rejects with the socket error's
 * `IceRpcException` (`AddressInUse` when the address is taken).
 */
export async function listenServer(server: Server, host: string, port: number, backlog: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off("listening", onListening);
      reject(socketException(error, `Cannot listen on ${describeEndpoint(host, port)}`));
    };
    const onListening = (): void => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ host, port, backlog });
  });
}
