// Slic over in-memory byte channel pairs, as a transport the shared suites can run: real Slic connections over a
// real channel with backpressure (net-test-support's memory channel), not a mock. It is a ByteChannelTransport, the
// way every Slic transport is made: a network of channels plus slicMultiplexer.
import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import type { MultiplexedConnectionOptions, NetworkAddress, TransportAddress } from "@icerpc-ts/core/transport";
import {
  type AcceptedChannel,
  type ByteChannelListener,
  type ByteChannelNetwork,
  type ByteChannelSource,
  ByteChannelTransport,
  checkTransportParams,
  ListenerAccepts,
} from "@icerpc-ts/core/transport-helpers";
import { type MemoryChannel, type MemoryChannelOptions, memoryChannelPair } from "@icerpc-ts/net-test-support";

import { slicMultiplexer, type SlicOptions } from "../../src/index.js";

export const transportName = "slic-memory";

export interface MemorySlicTransportOptions {
  readonly slicOptions?: SlicOptions;
  /** The options of the channel each side writes to. */
  readonly channel?: MemoryChannelOptions;
}

/** Both a client and a server transport: a client reaches the listeners of its own instance, by host name. */
export class MemorySlicTransport extends ByteChannelTransport {
  constructor(options: MemorySlicTransportOptions = {}) {
    super(transportName, new MemoryChannelNetwork(options.channel), slicMultiplexer(options.slicOptions));
  }
}

/** Memory channel pairs between the clients and the listeners of one instance. */
class MemoryChannelNetwork implements ByteChannelNetwork {
  readonly #channelOptions: MemoryChannelOptions | undefined;
  readonly #listeners = new Map<string, MemoryChannelListener>();
  #nextClientPort = 1;

  constructor(channelOptions: MemoryChannelOptions | undefined) {
    this.#channelOptions = channelOptions;
  }

  connect(address: TransportAddress, _options: MultiplexedConnectionOptions): ByteChannelSource {
    checkTransportParams(address, transportName);
    const clientAddress = { host: "client", port: this.#nextClientPort++ };
    const serverAddress = { host: address.host, port: address.port };
    return {
      open: (signal) => {
        signal.throwIfAborted();
        const listener = this.#listeners.get(address.host);
        if (listener === undefined) {
          return Promise.reject(
            new IceRpcException(IceRpcError.ConnectionRefused, `No slic-memory listener is named '${address.host}'.`),
          );
        }
        const [clientChannel, serverChannel] = memoryChannelPair(this.#channelOptions, this.#channelOptions);
        listener.enqueue(serverChannel, clientAddress);
        return Promise.resolve({
          channel: clientChannel,
          information: { localNetworkAddress: clientAddress, remoteNetworkAddress: serverAddress },
        });
      },
      discard: () => {},
    };
  }

  listen(address: TransportAddress, _options: MultiplexedConnectionOptions): Promise<ByteChannelListener> {
    checkTransportParams(address, transportName);
    if (this.#listeners.has(address.host)) {
      return Promise.reject(new IceRpcException(IceRpcError.AddressInUse, `'${address.host}' is already listened on.`));
    }
    const listener = new MemoryChannelListener(address, () => this.#listeners.delete(address.host));
    this.#listeners.set(address.host, listener);
    return Promise.resolve(listener);
  }
}

class MemoryChannelListener implements ByteChannelListener {
  readonly address: TransportAddress;
  readonly #unregister: () => void;
  readonly #backlog: (AcceptedChannel & { readonly channel: MemoryChannel })[] = [];
  readonly #accepts = new ListenerAccepts("slic-memory listener", () => this.#backlog.shift());

  constructor(address: TransportAddress, unregister: () => void) {
    this.address = address;
    this.#unregister = unregister;
  }

  accept(signal?: AbortSignal): Promise<AcceptedChannel> {
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

  enqueue(channel: MemoryChannel, clientAddress: NetworkAddress): void {
    const information = {
      localNetworkAddress: { host: this.address.host, port: this.address.port },
      remoteNetworkAddress: clientAddress,
    };
    const source = { open: () => Promise.resolve({ channel, information }), discard: () => channel.close() };
    const entry = { source, remoteNetworkAddress: clientAddress, channel };
    if (!this.#accepts.deliver(entry)) {
      this.#backlog.push(entry);
    }
  }
}
