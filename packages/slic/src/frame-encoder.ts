import { FrameType } from "./frame-type.js";
import { minimalWidth, writeVarUInt62 } from "./varuint62.js";

// Frames as IceRPC C# writes them (the golden bytes show it): the size of a frame that carries stream data on 4
// bytes, of every other frame on 2 (empty StreamLast included), stream ids and values on their fewest bytes.

/** A frame without stream id (Initialize, InitializeAck, Version, Close, Ping, Pong): type, size on 2 bytes, body. */
export function encodeConnectionFrame(type: FrameType, body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(3 + body.length);
  frame[0] = type;
  writeVarUInt62(frame, 1, body.length, 2);
  frame.set(body, 3);
  return frame;
}

/**
 * A stream frame without data (StreamLast with no data, StreamReadsClosed, StreamWritesClosed, StreamWindowUpdate):
 * type, size on 2 bytes, stream id, body (the increment of a StreamWindowUpdate, else nothing).
 */
export function encodeStreamControlFrame(type: FrameType, streamId: number, body?: Uint8Array): Uint8Array {
  const idWidth = minimalWidth(streamId);
  const bodyLength = body?.length ?? 0;
  const frame = new Uint8Array(3 + idWidth + bodyLength);
  frame[0] = type;
  writeVarUInt62(frame, 1, idWidth + bodyLength, 2);
  writeVarUInt62(frame, 3, streamId, idWidth);
  if (body !== undefined) {
    frame.set(body, 3 + idWidth);
  }
  return frame;
}

/** The header of a Stream or StreamLast frame carrying `dataLength` (> 0) bytes: type, size on 4 bytes, stream id. */
export function encodeStreamDataHeader(last: boolean, streamId: number, dataLength: number): Uint8Array {
  const idWidth = minimalWidth(streamId);
  const header = new Uint8Array(5 + idWidth);
  header[0] = last ? FrameType.StreamLast : FrameType.Stream;
  writeVarUInt62(header, 1, idWidth + dataLength, 4);
  writeVarUInt62(header, 5, streamId, idWidth);
  return header;
}
