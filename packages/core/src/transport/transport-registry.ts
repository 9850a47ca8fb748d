import type { MultiplexedClientTransport, MultiplexedServerTransport } from "./multiplexed-transport.js";

/** The package to install for each transport this project ships, for error messages. */
const transportPackages: Readonly<Record<string, string>> = {
  memory: "@icerpc-ts/transport-memory",
  "tcp-yamux": "@icerpc-ts/transport-tcp-yamux",
  ws: "@icerpc-ts/transport-websocket",
  webtransport: "@icerpc-ts/transport-webtransport",
  quic: "@icerpc-ts/transport-quic",
};

type AnyTransport = MultiplexedClientTransport | MultiplexedServerTransport;

/**
 * The transports an application installed, keyed by name. Server addresses choose one with `?transport=NAME`; an
 * address without `transport` uses the default transport: the one named by `defaultTransport`, or else the only one
 * registered.
 */
export class TransportRegistry {
  readonly #clients = new Map<string, MultiplexedClientTransport>();
  readonly #servers = new Map<string, MultiplexedServerTransport>();
  readonly #defaultTransport: string | undefined;

  constructor(options: { defaultTransport?: string } = {}) {
    this.#defaultTransport = options.defaultTransport;
  }

  /**
   * Registers transports; an object implementing both the client and the server interface is registered as both.
   * A later registration under the same name replaces the earlier one.
   */
  register(...transports: AnyTransport[]): this {
    for (const transport of transports) {
      let known = false;
      if ("createConnection" in transport) {
        this.#clients.set(transport.name, transport);
        known = true;
      }
      if ("listen" in transport) {
        this.#servers.set(transport.name, transport);
        known = true;
      }
      if (!known) {
        throw new TypeError(`Cannot register '${String((transport as { name?: unknown }).name)}': it is neither a client nor a server transport.`);
      }
    }
    return this;
  }

  /** The client transport named `name` (the default one when `name` is undefined). */
  clientTransport(name?: string): MultiplexedClientTransport {
    return this.#find(this.#clients, name, "client");
  }

  /** The server transport named `name` (the default one when `name` is undefined). */
  serverTransport(name?: string): MultiplexedServerTransport {
    return this.#find(this.#servers, name, "server");
  }

  #find<T>(transports: ReadonlyMap<string, T>, name: string | undefined, side: string): T {
    const resolved = name ?? this.#defaultTransport ?? (transports.size === 1 ? [...transports.keys()][0] : undefined);
    if (resolved === undefined) {
      throw new TypeError(
        transports.size === 0
          ? `No ${side} transport is registered: install a transport package (e.g. @icerpc-ts/transport-memory) and register it.`
          : `The server address names no transport and no default transport is set: add '?transport=NAME' with NAME one of ${[...transports.keys()].join(", ")}.`,
      );
    }
    const transport = transports.get(resolved);
    if (transport === undefined) {
      const pkg = transportPackages[resolved];
      const registered = transports.size === 0 ? "none" : [...transports.keys()].join(", ");
      throw new TypeError(
        `No ${side} transport named '${resolved}' is registered (registered: ${registered}).` +
          (pkg ? ` Install ${pkg} and register its transport.` : ""),
      );
    }
    return transport;
  }
}
