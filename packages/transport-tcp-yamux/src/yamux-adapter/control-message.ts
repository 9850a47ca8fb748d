import { InvalidDataError } from "@icerpc-ts/core";
import { SliceDecoder, SliceEncoder } from "@icerpc-ts/core/codec";
import type { BufferedStreamReader } from "@icerpc-ts/core/transport-helpers";

import { adapterProtocolError } from "./protocol-error.js";
import { isRemoteReset } from "./yamux-error-mapping.js";

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

function isControlMessageType(type: number): type is ControlMessageType {
  return type in fieldsOf;
}

/**
 * The peer's next control message, read from its control stream. The type and the body size are checked as soon as
 * they arrive, so what waits for the rest of a message is at most a {@link maxControlBodySize}-byte body. Rejects
 * with the adapter's protocol error for a malformed message or a control stream the peer ended or reset (it stays
 * open as long as the connection), with the session's error once it ended, and with `signal.reason` if `signal`
 * aborts.
 */
export async function readControlMessage(reader: BufferedStreamReader, signal?: AbortSignal): Promise<ControlMessage> {
  let type: number | null;
  let body: Uint8Array;
  try {
    type = await reader.readByteOrEnd(signal);
    if (type === null) {
      throw adapterProtocolError("the peer ended its control stream, which must stay open until the connection closes.");
    }
    if (!isControlMessageType(type)) {
      throw adapterProtocolError(`received a control message of unknown type ${type}.`);
    }
    body = await reader.readSizePrefixed(maxControlBodySize, `body of a ${ControlMessageType[type]} message`, signal);
  } catch (error) {
    if (error instanceof InvalidDataError || isRemoteReset(error)) {
      throw adapterProtocolError(`its control stream broke: ${(error as Error).message}`, error);
    }
    throw error;
  }
  return decodeControlMessageBody(type, body);
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
