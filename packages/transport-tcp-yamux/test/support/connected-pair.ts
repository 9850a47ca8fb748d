// A listener and a connected pair of tcp-yamux connections, released by `dispose`.
import {
  defaultMultiplexedConnectionOptions,
  type Listener,
  type MultiplexedConnection,
  type MultiplexedConnectionOptions,
  type TransportConnectionInformation,
} from "@icerpc-ts/core/transport";

import type { TcpYamuxTransport } from "../../src/index.js";
import { loopbackAddress } from "./transports.js";

export interface ConnectedPair {
  readonly listener: Listener;
  readonly client: MultiplexedConnection;
  readonly server: MultiplexedConnection;
  readonly clientInformation: TransportConnectionInformation;
  readonly serverInformation: TransportConnectionInformation;
  dispose(): Promise<void>;
}

/** Listens with `serverTransport`, connects a client of `clientTransport` and the server connection it accepts. */
export async function connectPair(
  clientTransport: TcpYamuxTransport,
  serverTransport: TcpYamuxTransport,
  options: Partial<MultiplexedConnectionOptions> = {},
): Promise<ConnectedPair> {
  const connectionOptions = { ...defaultMultiplexedConnectionOptions, ...options };
  const listener = await serverTransport.listen(loopbackAddress(), connectionOptions);
  const client = clientTransport.createConnection(listener.address, connectionOptions);
  let server: MultiplexedConnection | undefined;
  const dispose = async (): Promise<void> => {
    await client.dispose();
    await server?.dispose();
    await listener.dispose();
  };
  try {
    const [clientInformation, serverInformation] = await Promise.all([
      client.connect(),
      listener.accept().then(({ connection }) => {
        server = connection;
        return connection.connect();
      }),
    ]);
    return { listener, client, server: server!, clientInformation, serverInformation, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
