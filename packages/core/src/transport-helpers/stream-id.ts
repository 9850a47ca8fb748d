// Stream ids as the contract numbers them, QUIC's (RFC 9000 §2.1): what a multiplexer that numbers its own streams
// (Slic, the yamux adapter) needs to agree with the contract and with the peer.

/** A stream id taken apart. */
export interface StreamIdParts {
  /** The stream's rank among the streams of its kind and initiator: 0 for the first, 1 for the second... */
  readonly sequence: number;
  readonly bidirectional: boolean;
  readonly serverInitiated: boolean;
}

/** The id of the `sequence`-th stream of its kind and initiator: bit 0 the initiator, bit 1 the direction. */
export function streamIdOf(sequence: number, bidirectional: boolean, serverInitiated: boolean): number {
  return sequence * 4 + (bidirectional ? 0 : 2) + (serverInitiated ? 1 : 0);
}

export function partsOfStreamId(id: number): StreamIdParts {
  return { sequence: Math.floor(id / 4), bidirectional: (id & 2) === 0, serverInitiated: (id & 1) === 1 };
}
