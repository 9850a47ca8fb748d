/** The Slic frame types (Slic version 1, as IceRPC C# defines them); the first byte of every frame. */
export enum FrameType {
  Initialize = 1,
  InitializeAck = 2,
  Version = 3,
  Close = 4,
  Ping = 5,
  Pong = 6,
  Stream = 7,
  StreamLast = 8,
  StreamReadsClosed = 9,
  StreamWindowUpdate = 10,
  StreamWritesClosed = 11,
}

/** The keys of the connection parameters in Initialize and InitializeAck; each value is a varuint62. */
export enum ParameterKey {
  MaxBidirectionalStreams = 0,
  MaxUnidirectionalStreams = 1,
  /** Milliseconds. */
  IdleTimeout = 2,
  InitialStreamWindowSize = 3,
  MaxStreamFrameSize = 4,
}

/** The only Slic version there is. */
export const slicVersion1 = 1;

/**
 * The largest body of a frame that is not Stream or StreamLast: the largest varuint62 on 2 bytes, the width C#
 * reserves for the size of those frames. A larger one is a protocol error, rejected before it is buffered.
 */
export const maxControlFrameBodySize = 16_383;

/** The bounds C# puts on the MaxStreamFrameSize parameter. */
export const minMaxStreamFrameSize = 1024;
export const maxMaxStreamFrameSize = 16_777_215;

/** The smallest InitialStreamWindowSize C# accepts. */
export const minInitialStreamWindowSize = 1024;

/** A stream's send window may never exceed this (C#'s `MaxWindowSize`, int.MaxValue). */
export const maxWindowSize = 0x7fff_ffff;

/** True for the frame types whose body starts with a stream id. */
export function isStreamFrame(type: FrameType): boolean {
  return type >= FrameType.Stream;
}
