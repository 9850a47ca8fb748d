import type { Socket } from "node:net";

import { IceRpcError, IceRpcException } from "@icerpc-ts/core";

import type { ByteChannelSource, EstablishedChannel } from "@icerpc-ts/core/transport-helpers";

import { socketChannel } from "./socket-channel.js";
import { connectionInformationOf, describeEndpoint } from "./socket-information.js";

/**
 * The byte channel of a server connection: a socket the listener accepted, already through its TLS handshake when
 * the listener uses TLS.
 */
export class AcceptedSocketSource implements ByteChannelSource {
  readonly #socket: Socket;

  constructor(socket: Socket) {
    this.#socket = socket;
  }

  async open(signal: AbortSignal): Promise<EstablishedChannel> {
    signal.throwIfAborted();
    const socket = this.#socket;
    const endpoint = describeEndpoint(socket.remoteAddress ?? "?", socket.remotePort ?? 0);
    if (socket.destroyed) {
      throw new IceRpcException(
        IceRpcError.ConnectionAborted,
        `The connection from ${endpoint} was lost while it waited to be accepted and connected.`,
      );
    }
    return { channel: socketChannel(socket, endpoint), information: connectionInformationOf(socket) };
  }

  discard(): void {
    this.#socket.destroy();
  }
}
