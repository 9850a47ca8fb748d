// Slic over in-memory byte channel pairs, as a transport the shared suites can run: real Slic connections over a
// real channel with backpressure (net-test-support's memory channel), not a mock.
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import type {
  AcceptedConnection,
  Listener,
  MultiplexedClientTransport,
  MultiplexedConnection,
  MultiplexedConnectionOptions,
  MultiplexedServerTransport,
  NetworkAddress,
  TransportAddress,
} from "@icerpc-ts/core/transport";
import { type ByteChannelSource, checkTransportParams, ListenerAccepts } from "@icerpc-ts/core/transport-helpers";
import { type MemoryChannel, type MemoryChannelOptions, memoryChannelPair } from "@icerpc-ts/net-test-support";

import { SlicConnection, type SlicOptions } from "../../src/index.js";

export const transportName = "slic-memory";

export interface MemorySlicTransportOptions {
  readonly slicOptions?: SlicOptions;
  /** The options of the channel each side writes to. */
  readonly channel?: MemoryChannelOptions;
}

/** Both a client and a server transport: a client reaches the listeners of its own instance, by host name. */
export class MemorySlicTransport implements MultiplexedClientTransport, MultiplexedServerTransport {
  readonly name = transportName;
  readonly #options: MemorySlicTransportOptions;
  readonly #listeners = new Map<string, MemorySlicListener>();
  #nextClientPort = 1;

  constructor(options: MemorySlicTransportOptions = {}) {
    this.#options = options;
  }

  createConnection(address: TransportAddress, options: MultiplexedConnectionOptions): MultiplexedConnection {
    checkTransportParams(address, transportName);
    const clientAddress = { host: "client", port: this.#nextClientPort++ };
    const serverAddress = { host: address.host, port: address.port };
    const source: ByteChannelSource = {
      open: (signal) => {
        signal.throwIfAborted();
        const listener = this.#listeners.get(address.host);
        if (listener === undefined) {
          return Promise.reject(
            new IceRpcException(IceRpcError.ConnectionRefused, `No slic-memory listener is named '${address.host}'.`),
          );
        }
        const [clientChannel, serverChannel] = memoryChannelPair(this.#options.channel, this.#options.channel);
        listener.enqueue(serverChannel, clientAddress);
        return Promise.resolve({
          channel: clientChannel,
          information: { localNetworkAddress: clientAddress, remoteNetworkAddress: serverAddress },
        });
      },
      discard: () => {},
    };
    return new SlicConnection({
      role: "client",
      source,
      options,
      ...(this.#options.slicOptions === undefined ? {} : { slicOptions: this.#options.slicOptions }),
      label: "slic-memory connection",
    });
  }

  listen(address: TransportAddress, options: MultiplexedConnectionOptions): Promise<Listener> {
    checkTransportParams(address, transportName);
    if (this.#listeners.has(address.host)) {
      return Promise.reject(new IceRpcException(IceRpcError.AddressInUse, `'${address.host}' is already listened on.`));
    }
    const listener = new MemorySlicListener(address, options, this.#options.slicOptions, () =>
      this.#listeners.delete(address.host),
    );
    this.#listeners.set(address.host, listener);
    return Promise.resolve(listener);
  }
}

class MemorySlicListener implements Listener {
  readonly address: TransportAddress;
  readonly #options: MultiplexedConnectionOptions;
  readonly #slicOptions: SlicOptions | undefined;
  readonly #unregister: () => void;
  readonly #backlog: { connection: SlicConnection; remoteNetworkAddress: NetworkAddress; channel: MemoryChannel }[] = [];
  readonly #accepts = new ListenerAccepts("slic-memory listener", () => this.#backlog.shift());

  constructor(
    address: TransportAddress,
    options: MultiplexedConnectionOptions,
    slicOptions: SlicOptions | undefined,
    unregister: () => void,
  ) {
    this.address = address;
    this.#options = options;
    this.#slicOptions = slicOptions;
    this.#unregister = unregister;
  }

  accept(signal?: AbortSignal): Promise<AcceptedConnection> {
    return this.#accepts.accept(signal);
  }

  dispose(): Promise<void> {
    if (this.#accepts.dispose()) {
      this.#unregister();
      for (const entry of this.#backlog.splice(0)) {
        entry.channel.close();
      }
    }
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  enqueue(channel: MemoryChannel, clientAddress: NetworkAddress): void {
    const information = {
      localNetworkAddress: { host: this.address.host, port: this.address.port },
      remoteNetworkAddress: clientAddress,
    };
    const connection = new SlicConnection({
      role: "server",
      source: { open: () => Promise.resolve({ channel, information }), discard: () => channel.close() },
      options: this.#options,
      ...(this.#slicOptions === undefined ? {} : { slicOptions: this.#slicOptions }),
      label: "slic-memory connection",
    });
    const entry = { connection, remoteNetworkAddress: clientAddress, channel };
    if (!this.#accepts.deliver(entry)) {
      this.#backlog.push(entry);
    }
  }
}
