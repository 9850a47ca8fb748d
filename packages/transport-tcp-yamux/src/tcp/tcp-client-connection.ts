import type { TransportConnectionInformation } from "@icerpc-ts/core/transport";

import { type YamuxConnectionConfig, YamuxMultiplexedConnection } from "../yamux-adapter/index.js";
import type { TcpClientChannelSource } from "./tcp-client-channel-source.js";

/**
 * A client connection over TCP or TLS: a yamux connection whose connect failures say what the socket shows about
 * their cause (e.g. a plain client that reached a TLS server), which the yamux layer cannot see.
 */
export class TcpClientConnection extends YamuxMultiplexedConnection {
  readonly #source: TcpClientChannelSource;

  constructor(config: Omit<YamuxConnectionConfig, "role" | "source">, source: TcpClientChannelSource) {
    super({ ...config, role: "client", source });
    this.#source = source;
  }

  override async connect(signal?: AbortSignal): Promise<TransportConnectionInformation> {
    try {
      return await super.connect(signal);
    } catch (error) {
      throw this.#source.explainConnectFailure(error);
    }
  }
}
