import { InvalidDataError } from "@icerpc-ts/core";
import { SliceDecoder, SliceEncoder } from "@icerpc-ts/core/codec";

import { adapterProtocolError } from "./protocol-error.js";

/** The version of the adapter protocol this implementation speaks, sent in Settings. */
export const adapterProtocolVersion = 1;

/** The largest control message body accepted; bodies are a few varints. */
export const maxControlBodySize = 1024;

/** The first byte of a control message (see the package README for what each one means). */
export enum ControlMessageType {
  Settings = 0,
  StreamsReleased = 1,
  Close = 2,
  StopSending = 3,
  ResetStream = 4,
}

/** The body of each message type: its fields, each a varuint62, in wire order. */
const fieldsOf = {
  [ControlMessageType.Settings]: ["version", "maxBidirectionalStreams", "maxUnidirectionalStreams"],
  [ControlMessageType.StreamsReleased]: ["bidirectional", "unidirectional"],
  [ControlMessageType.Close]: ["applicationErrorCode"],
  [ControlMessageType.StopSending]: ["streamId"],
  [ControlMessageType.ResetStream]: ["streamId"],
} as const;

type Fields = typeof fieldsOf;

/** A control message: its type and its fields, e.g. `{ type: StopSending, streamId: 4 }`. */
export type ControlMessage = {
  [T in ControlMessageType]: { readonly type: T } & { readonly [F in Fields[T][number]]: number };
}[ControlMessageType];

/** The bytes of `message` on a control stream: `type: u8`, `bodySize: varuint62`, body. */
export function encodeControlMessage(message: ControlMessage): Uint8Array {
  const body = new SliceEncoder();
  const fields = message as unknown as Readonly<Record<string, number>>;
  for (const name of fieldsOf[message.type]) {
    body.encodeVarUInt62(fields[name]!);
  }
  const bodyBytes = body.finish();
  const encoder = new SliceEncoder();
  encoder.encodeUInt8(message.type);
  encoder.encodeVarUInt62(bodyBytes.length);
  encoder.encodeBytes(bodyBytes);
  return encoder.finish();
}

/** True when `type` is a control message type this implementation knows. */
export function isControlMessageType(type: number): type is ControlMessageType {
  return type in fieldsOf;
}

/**
 * Decodes the body of a message of `type`. Throws the adapter's protocol error when the body is truncated, has
 * bytes left over, or holds a value beyond 2^53 − 1.
 */
export function decodeControlMessageBody(type: ControlMessageType, body: Uint8Array): ControlMessage {
  const decoder = new SliceDecoder(body);
  const message: Record<string, number> = { type };
  try {
    for (const name of fieldsOf[type]) {
      message[name] = decoder.decodeVarUInt62();
    }
    decoder.checkEndOfBuffer();
  } catch (error) {
    if (error instanceof InvalidDataError) {
      throw adapterProtocolError(`invalid ${ControlMessageType[type]} control message: ${error.message}`, error);
    }
    throw error;
  }
  return message as unknown as ControlMessage;
}
