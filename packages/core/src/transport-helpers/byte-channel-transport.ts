import type {
  MultiplexedConnection,
  MultiplexedConnectionOptions,
} from "../transport/multiplexed-connection.js";
import type {
  AcceptedConnection,
  Listener,
  MultiplexedClientTransport,
  MultiplexedServerTransport,
} from "../transport/multiplexed-transport.js";
import type { NetworkAddress, TransportAddress } from "../transport/transport-address.js";
import type { ByteChannelSource } from "./byte-channel-source.js";
import { checkConnectionOptions } from "./check-connection-options.js";

/** What a multiplexer needs to run one connection over one byte channel. */
export interface MultiplexerConfig {
  /** The client opened the channel and speaks first; the server accepted it. */
  readonly role: "client" | "server";
  readonly source: ByteChannelSource;
  readonly options: MultiplexedConnectionOptions;
  /** Names the connection in errors, e.g. "tcp connection". */
  readonly label: string;
}

/** Runs a multiplexed connection over a byte channel: Slic, or tcp-yamux's yamux adapter. */
export type Multiplexer = (config: MultiplexerConfig) => MultiplexedConnection;

/** A byte channel a {@link ByteChannelListener} accepted, not yet opened: its connection opens it. */
export interface AcceptedChannel {
  readonly source: ByteChannelSource;
  readonly remoteNetworkAddress: NetworkAddress;
}

/** Accepts byte channels on one address: a TCP or TLS server, a WebSocket server, a memory name. */
export interface ByteChannelListener {
  /** The address listened on, with the actual port when port 0 was asked for. */
  readonly address: TransportAddress;
  /** As `Listener.accept`: the oldest waiting channel, or the next one. */
  accept(signal?: AbortSignal): Promise<AcceptedChannel>;
  /** Stops listening and releases the channels that wait; idempotent. */
  dispose(): Promise<void>;
}

/**
 * Where the byte channels of a transport come from (TCP and TLS sockets, WebSockets, memory pairs): everything of a
 * transport but its multiplexing. A transport is a network plus a {@link Multiplexer}, put together by
 * {@link ByteChannelTransport}.
 */
export interface ByteChannelNetwork {
  /**
   * The source of a client channel to `address`, opened later by the connection's `connect`. Throws `TypeError` for
   * an invalid address (wrong transport, unknown parameter, missing host, bad port).
   */
  connect(address: TransportAddress, options: MultiplexedConnectionOptions): ByteChannelSource;
  /**
   * Starts listening on `address`. Rejects with `IceRpcException(AddressInUse)` when it is taken, `TypeError` for an
   * invalid address.
   */
  listen(address: TransportAddress, options: MultiplexedConnectionOptions): Promise<ByteChannelListener>;
}

/** A multiplexed transport made of a byte-channel network and a multiplexer, e.g. Slic over TCP. */
export class ByteChannelTransport implements MultiplexedClientTransport, MultiplexedServerTransport {
  readonly name: string;
  readonly #network: ByteChannelNetwork;
  readonly #multiplexer: Multiplexer;
  readonly #label: string;

  /** `name` is the transport name of addresses (`?transport=tcp`). */
  constructor(name: string, network: ByteChannelNetwork, multiplexer: Multiplexer) {
    this.name = name;
    this.#network = network;
    this.#multiplexer = multiplexer;
    this.#label = `${name} connection`;
  }

  createConnection(address: TransportAddress, options: MultiplexedConnectionOptions): MultiplexedConnection {
    const source = this.#network.connect(address, options);
    return this.#multiplexer({ role: "client", source, options, label: this.#label });
  }

  async listen(address: TransportAddress, options: MultiplexedConnectionOptions): Promise<Listener> {
    // Checked before listening: a listener must not accept connections it cannot run.
    const checked = checkConnectionOptions(options);
    const channels = await this.#network.listen(address, checked);
    return new MultiplexedListener(channels, (source) =>
      this.#multiplexer({ role: "server", source, options: checked, label: this.#label }),
    );
  }
}

/** A listener whose connections run a multiplexer over the channels a channel listener accepts. */
class MultiplexedListener implements Listener {
  readonly #channels: ByteChannelListener;
  readonly #serve: (source: ByteChannelSource) => MultiplexedConnection;

  constructor(channels: ByteChannelListener, serve: (source: ByteChannelSource) => MultiplexedConnection) {
    this.#channels = channels;
    this.#serve = serve;
  }

  get address(): TransportAddress {
    return this.#channels.address;
  }

  async accept(signal?: AbortSignal): Promise<AcceptedConnection> {
    const { source, remoteNetworkAddress } = await this.#channels.accept(signal);
    return { connection: this.#serve(source), remoteNetworkAddress };
  }

  dispose(): Promise<void> {
    return this.#channels.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
