import {
  ClientConnection,
  OutgoingRequest,
  Server,
  type ServerAddress,
  ServiceAddress,
  StatusCode,
  TransportRegistry,
} from "@icerpc-ts/core";
import { checkEcho, type Contender, type EchoClient } from "../contender.js";
import { startServerProcess } from "../server-process.js";
import { echoPath, echoRouter } from "./echo-service.js";
import { loadTransport, type IcerpcTransportEntry } from "./icerpc-transports.js";

/** icerpc-ts over one transport: a `ClientConnection` calling a `Server` whose `Router` maps the echo service. */
export function icerpcContender(entry: IcerpcTransportEntry): Contender {
  return {
    label: `icerpc over ${entry.name}${entry.detail === undefined ? "" : ` (${entry.detail})`}`,
    kind: "icerpc",
    serverPlacement: entry.inProcess ? "same process" : "separate process",
    async start() {
      const transport = await loadTransport(entry);
      if (transport === undefined) {
        return {
          unavailable: `${entry.packageName} is not installed (add it to benchmarks/package.json and run pnpm install)`,
        };
      }
      const transports = new TransportRegistry().register(transport);
      const requestedAddress = `icerpc://127.0.0.1:0?transport=${entry.name}`;
      let stopServer: () => Promise<void>;
      let serverAddress: ServerAddress | string;
      if (entry.inProcess) {
        const server = new Server({ dispatcher: echoRouter(), serverAddress: requestedAddress, transports });
        serverAddress = await server.listen();
        stopServer = async () => {
          await server.shutdown();
          await server.dispose();
        };
      } else {
        const server = await startServerProcess(new URL("./icerpc-server.js", import.meta.url), [entry.name]);
        serverAddress = server.address;
        stopServer = () => server.stop();
      }
      const connection = new ClientConnection({ serverAddress, transports });
      try {
        await connection.connect();
      } catch (error) {
        await connection.dispose();
        await stopServer();
        throw error;
      }
      return new IcerpcClient(connection, stopServer);
    },
  };
}

class IcerpcClient implements EchoClient {
  readonly #connection: ClientConnection;
  readonly #echo: ServiceAddress;
  readonly #stopServer: () => Promise<void>;

  constructor(connection: ClientConnection, stopServer: () => Promise<void>) {
    this.#connection = connection;
    this.#echo = new ServiceAddress({ path: echoPath, serverAddress: connection.serverAddress });
    this.#stopServer = stopServer;
  }

  async call(payload: Uint8Array): Promise<void> {
    const response = await this.#connection.invoke(new OutgoingRequest(this.#echo, { operation: "echo", payload }));
    // The caller owns the response payload: read it to its end even when the status says it is empty.
    const echoed = await response.payload.readAll({ maxBytes: 1 << 20 });
    if (response.statusCode !== StatusCode.Ok) {
      throw new Error(`The echo call failed with status code ${response.statusCode}: ${response.errorMessage}`);
    }
    checkEcho(payload, echoed);
  }

  async close(): Promise<void> {
    try {
      await this.#connection.shutdown();
    } finally {
      await this.#connection.dispose();
      await this.#stopServer();
    }
  }
}
