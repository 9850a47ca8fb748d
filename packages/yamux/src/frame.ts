// The yamux wire format (hashicorp/yamux spec.md): every frame starts with a 12-byte big-endian header
// `version u8 | type u8 | flags u16 | streamId u32 | length u32`; only Data frames carry a payload.

/** The only protocol version yamux defines. */
export const protocolVersion = 0;

/** The size of a frame header in bytes. */
export const headerSize = 12;

/** The receive window every stream starts with, on both sides, before any WindowUpdate. */
export const initialStreamWindow = 256 * 1024;

/** The largest value of a 32-bit length field: stream ids, window sizes and deltas must stay within it. */
export const maxUint32 = 0xffff_ffff;

/** Frame types. */
export enum FrameType {
  /** Stream bytes; the length is the payload size. */
  Data = 0,
  /** Flow-control credit for a stream; the length is a delta added to the peer's send window. */
  WindowUpdate = 1,
  /** A keep-alive or RTT probe on stream 0; the length is an opaque value echoed in the answer. */
  Ping = 2,
  /** Session termination on stream 0; the length is a {@link GoAwayCode}. */
  GoAway = 3,
}

/** Frame flags; SYN, ACK, FIN and RST combine on Data and WindowUpdate frames. */
export enum Flag {
  /** Opens a stream (on a Ping: a request). */
  Syn = 1,
  /** Acknowledges a stream (on a Ping: the answer). */
  Ack = 2,
  /** Half-closes the sender's side of a stream. */
  Fin = 4,
  /** Resets a stream in both directions. */
  Rst = 8,
}

/** The codes a GoAway frame carries. */
export enum GoAwayCode {
  /** Normal termination: streams already open go on, no new ones. */
  Normal = 0,
  /** The sender received frames that violate the protocol. */
  ProtocolError = 1,
  /** The sender failed internally. */
  InternalError = 2,
}

/** Writes a frame header at `offset` of `target`. */
export function encodeHeader(
  target: Uint8Array,
  offset: number,
  type: FrameType,
  flags: number,
  streamId: number,
  length: number,
): void {
  target[offset] = protocolVersion;
  target[offset + 1] = type;
  target[offset + 2] = flags >>> 8;
  target[offset + 3] = flags & 0xff;
  target[offset + 4] = streamId >>> 24;
  target[offset + 5] = (streamId >>> 16) & 0xff;
  target[offset + 6] = (streamId >>> 8) & 0xff;
  target[offset + 7] = streamId & 0xff;
  target[offset + 8] = length >>> 24;
  target[offset + 9] = (length >>> 16) & 0xff;
  target[offset + 10] = (length >>> 8) & 0xff;
  target[offset + 11] = length & 0xff;
}
