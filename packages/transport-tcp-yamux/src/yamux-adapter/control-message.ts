import { InvalidDataError } from "@icerpc-ts/core";
import { SliceDecoder, SliceEncoder } from "@icerpc-ts/core/codec";

import { adapterProtocolError } from "./protocol-error.js";

/** The version of the adapter protocol this implementation speaks, sent in Settings. */
export const adapterProtocolVersion = 1;

/** The largest control message body accepted; bodies are a few varints. */
export const maxControlBodySize = 1024;

/** The first byte of a control message. */
export enum ControlMessageType {
  Settings = 0,
  StreamsReleased = 1,
  Close = 2,
  StopSending = 3,
  ResetStream = 4,
}

/** The first message on each control stream: what the sender accepts from its peer. */
export interface SettingsMessage {
  readonly type: ControlMessageType.Settings;
  readonly version: number;
  readonly maxBidirectionalStreams: number;
  readonly maxUnidirectionalStreams: number;
}

/** The sender, as acceptor, is done with that many more of the peer's streams: the peer may create as many more. */
export interface StreamsReleasedMessage {
  readonly type: ControlMessageType.StreamsReleased;
  readonly bidirectional: number;
  readonly unidirectional: number;
}

/** Graceful close with a `MultiplexedConnectionCloseError` code. */
export interface CloseMessage {
  readonly type: ControlMessageType.Close;
  readonly applicationErrorCode: number;
}

/** The sender's reader aborted the stream (QUIC STOP_SENDING): the receiver ends its output. */
export interface StopSendingMessage {
  readonly type: ControlMessageType.StopSending;
  readonly streamId: number;
}

/** The sender aborted its output on a bidirectional stream (QUIC RESET_STREAM) while reading it still. */
export interface ResetStreamMessage {
  readonly type: ControlMessageType.ResetStream;
  readonly streamId: number;
}

export type ControlMessage =
  | SettingsMessage
  | StreamsReleasedMessage
  | CloseMessage
  | StopSendingMessage
  | ResetStreamMessage;

/** The bytes of `message` on a control stream: `type: u8`, `bodySize: varuint62`, body. */
export function encodeControlMessage(message: ControlMessage): Uint8Array {
  const body = new SliceEncoder();
  switch (message.type) {
    case ControlMessageType.Settings:
      body.encodeVarUInt62(message.version);
      body.encodeVarUInt62(message.maxBidirectionalStreams);
      body.encodeVarUInt62(message.maxUnidirectionalStreams);
      break;
    case ControlMessageType.StreamsReleased:
      body.encodeVarUInt62(message.bidirectional);
      body.encodeVarUInt62(message.unidirectional);
      break;
    case ControlMessageType.Close:
      body.encodeVarUInt62(message.applicationErrorCode);
      break;
    case ControlMessageType.StopSending:
    case ControlMessageType.ResetStream:
      body.encodeVarUInt62(message.streamId);
      break;
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
  return type in ControlMessageType;
}

/**
 * Decodes the body of a message of `type`. Throws the adapter's protocol error when the body is truncated, has
 * bytes left over, or holds a value beyond 2^53 − 1.
 */
export function decodeControlMessageBody(type: ControlMessageType, body: Uint8Array): ControlMessage {
  const decoder = new SliceDecoder(body);
  try {
    const message = decodeFields(type, decoder);
    decoder.checkEndOfBuffer();
    return message;
  } catch (error) {
    if (error instanceof InvalidDataError) {
      throw adapterProtocolError(`invalid ${ControlMessageType[type]} control message: ${error.message}`, error);
    }
    throw error;
  }
}

function decodeFields(type: ControlMessageType, decoder: SliceDecoder): ControlMessage {
  switch (type) {
    case ControlMessageType.Settings:
      return {
        type,
        version: decoder.decodeVarUInt62(),
        maxBidirectionalStreams: decoder.decodeVarUInt62(),
        maxUnidirectionalStreams: decoder.decodeVarUInt62(),
      };
    case ControlMessageType.StreamsReleased:
      return { type, bidirectional: decoder.decodeVarUInt62(), unidirectional: decoder.decodeVarUInt62() };
    case ControlMessageType.Close:
      return { type, applicationErrorCode: decoder.decodeVarUInt62() };
    case ControlMessageType.StopSending:
    case ControlMessageType.ResetStream:
      return { type, streamId: decoder.decodeVarUInt62() };
  }
}
