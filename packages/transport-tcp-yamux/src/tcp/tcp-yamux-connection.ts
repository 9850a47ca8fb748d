import type { TransportConnectionInformation } from "@icerpc-ts/core/transport";

import { type YamuxConnectionConfig, YamuxMultiplexedConnection } from "../yamux-adapter/index.js";

/**
 * A yamux connection whose connect failures say what its channel shows about their cause (e.g. a plain client that
 * reached a TLS server), which the yamux layer cannot see.
 */
export class TcpYamuxConnection extends YamuxMultiplexedConnection {
  readonly #config: YamuxConnectionConfig;

  constructor(config: YamuxConnectionConfig) {
    super(config);
    this.#config = config;
  }

  override async connect(signal?: AbortSignal): Promise<TransportConnectionInformation> {
    try {
      return await super.connect(signal);
    } catch (error) {
      throw this.#config.source.explainConnectFailure?.(error) ?? error;
    }
  }
}
