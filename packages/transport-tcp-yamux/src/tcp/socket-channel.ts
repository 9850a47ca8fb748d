import type { Socket } from "node:net";

import { SocketChannel as YamuxSocketChannel } from "@icerpc-ts/yamux";

import { socketException } from "./socket-errors.js";

/**
 * Yamux's byte channel over a connected TCP or TLS socket, whose failures are reported as the `IceRpcException`
 * of the socket error, naming `peer` (e.g. "127.0.0.1:4062").
 */
export class SocketChannel extends YamuxSocketChannel {
  constructor(socket: Socket, peer: string) {
    super(socket, (error) => socketException(error, `The connection with ${peer} failed`));
  }
}
