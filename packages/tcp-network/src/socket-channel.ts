import type { Socket } from "node:net";

import { SocketChannel } from "@icerpc-ts/primitives";

import { socketException } from "./socket-errors.js";

/** The byte channel over a connected socket: its failures are the `IceRpcException` of the socket error, naming `peer`. */
export function socketChannel(socket: Socket, peer: string): SocketChannel {
  return new SocketChannel(socket, (error) => socketException(error, `The connection with ${peer} failed`));
}
