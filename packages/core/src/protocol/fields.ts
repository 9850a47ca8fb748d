import type { SliceEncoder } from "../codec/index.js";

/**
 * The value of an outgoing field: its bytes, or a function that encodes them when the header is written (so that a
 * value is encoded straight into the header, as IceRPC's `OutgoingFieldValue` write action does).
 */
export type OutgoingFieldValue = Uint8Array | ((encoder: SliceEncoder) => void);

/** Fields as received: key to raw value. Keys this version does not know are kept. */
export type IncomingFields = ReadonlyMap<number, Uint8Array>;
