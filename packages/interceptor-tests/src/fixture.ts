import {
  ClientConnection,
  ConnectionCache,
  Pipeline,
  Router,
  Server,
  TransportRegistry,
  type Interceptor,
  type ServerAddress,
} from "@icerpc-ts/core";
import { MemoryTransport } from "@icerpc-ts/transport-memory";
import { TcpYamuxTransport } from "@icerpc-ts/transport-tcp-yamux";

/** The transports the tests run over: in-process, and end to end over real TCP sockets. */
export type TestTransport = "memory" | "tcp-yamux";

let memoryServers = 0;

/**
 * Servers and clients for one test, over one registry with both transports; `dispose` releases them all, clients
 * first.
 */
export class Fixture {
  readonly transports = new TransportRegistry().register(new MemoryTransport()).register(new TcpYamuxTransport());
  readonly #clients: { dispose(): Promise<unknown> }[] = [];
  readonly #servers: Server[] = [];

  /** Starts a server that dispatches with `router` over `transport`; resolves with the address it listens on. */
  async server(router: Router, transport: TestTransport = "memory"): Promise<ServerAddress> {
    const serverAddress =
      transport === "memory" ? `icerpc://server-${++memoryServers}?transport=memory` : "icerpc://127.0.0.1:0?transport=tcp-yamux";
    const server = new Server({ dispatcher: router, serverAddress, transports: this.transports });
    this.#servers.push(server);
    return server.listen();
  }

  /** A pipeline with `interceptors` into a connection to `serverAddress`. */
  pipeline(serverAddress: ServerAddress | string, ...interceptors: Interceptor[]): Pipeline {
    const connection = new ClientConnection({ serverAddress, transports: this.transports });
    this.#clients.push(connection);
    return this.#pipelineInto(connection, interceptors);
  }

  /** A pipeline with `interceptors` into a connection cache. */
  cachePipeline(...interceptors: Interceptor[]): Pipeline {
    const cache = new ConnectionCache({ transports: this.transports });
    this.#clients.push(cache);
    return this.#pipelineInto(cache, interceptors);
  }

  #pipelineInto(invoker: ClientConnection | ConnectionCache, interceptors: Interceptor[]): Pipeline {
    const pipeline = new Pipeline();
    for (const interceptor of interceptors) {
      pipeline.use(interceptor);
    }
    return pipeline.into(invoker);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#clients.splice(0).map((client) => client.dispose()));
    await Promise.all(this.#servers.splice(0).map((server) => server.dispose()));
  }
}
