/**
 * The first byte of every data stream: what kind of stream it is. The acceptor reads it before it hands the stream
 * to the application, since yamux streams are all bidirectional.
 */
export enum StreamKind {
  Bidirectional = 0,
  Unidirectional = 1,
}

/** A stream id taken apart (RFC 9000 §2.1). */
export interface StreamIdParts {
  /** The stream's rank among the streams of its kind and initiator: 0 for the first, 1 for the second... */
  readonly sequence: number;
  readonly bidirectional: boolean;
  readonly serverInitiated: boolean;
}

/** The QUIC id of the `sequence`-th stream of its kind and initiator: bit 0 the initiator, bit 1 the direction. */
export function streamIdOf(sequence: number, bidirectional: boolean, serverInitiated: boolean): number {
  return sequence * 4 + (bidirectional ? 0 : 2) + (serverInitiated ? 1 : 0);
}

export function partsOfStreamId(id: number): StreamIdParts {
  return { sequence: Math.floor(id / 4), bidirectional: (id & 2) === 0, serverInitiated: (id & 1) === 1 };
}
