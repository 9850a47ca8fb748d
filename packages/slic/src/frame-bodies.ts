import { SliceDecoder, SliceEncoder } from "@icerpc-ts/core/codec";

import { ParameterKey } from "./frame-type.js";
import { decodeBody, slicProtocolError } from "./slic-protocol-error.js";

/**
 * The connection parameters of Initialize and InitializeAck. An absent stream limit means 0 (the peer may not open
 * such streams); an absent idle timeout means none.
 */
export interface SlicParameters {
  readonly maxBidirectionalStreams?: number;
  readonly maxUnidirectionalStreams?: number;
  /** Milliseconds. */
  readonly idleTimeout?: number;
  readonly initialStreamWindowSize?: number;
  readonly maxStreamFrameSize?: number;
}

/** The body of Initialize: the version the client speaks, then its parameters when it is version 1. */
export interface InitializeBody {
  readonly version: number;
  /** Undefined for a version other than 1, whose parameters may be laid out differently. */
  readonly parameters: SlicParameters | undefined;
}

// C# writes the parameters in this order: the required ones, then the optional ones that are set.
const parameterOrder: readonly [ParameterKey, keyof SlicParameters][] = [
  [ParameterKey.MaxStreamFrameSize, "maxStreamFrameSize"],
  [ParameterKey.InitialStreamWindowSize, "initialStreamWindowSize"],
  [ParameterKey.IdleTimeout, "idleTimeout"],
  [ParameterKey.MaxBidirectionalStreams, "maxBidirectionalStreams"],
  [ParameterKey.MaxUnidirectionalStreams, "maxUnidirectionalStreams"],
];

/** A parameter value is a varuint62 that C# reads into an int. */
const maxParameterValue = 0x7fff_ffff;

export function encodeInitializeBody(version: number, parameters: SlicParameters): Uint8Array {
  const encoder = new SliceEncoder();
  encoder.encodeVarUInt62(version);
  encodeParameters(encoder, parameters);
  return encoder.finish();
}

export function decodeInitializeBody(body: Uint8Array): InitializeBody {
  return decodeBody("Initialize", () => {
    const decoder = new SliceDecoder(body);
    const version = decoder.decodeVarUInt62();
    if (version !== 1) {
      return { version, parameters: undefined };
    }
    const parameters = decodeParameters(decoder);
    decoder.checkEndOfBuffer();
    return { version, parameters };
  });
}

export function encodeInitializeAckBody(parameters: SlicParameters): Uint8Array {
  const encoder = new SliceEncoder();
  encodeParameters(encoder, parameters);
  return encoder.finish();
}

export function decodeInitializeAckBody(body: Uint8Array): SlicParameters {
  return decodeBody("InitializeAck", () => {
    const decoder = new SliceDecoder(body);
    const parameters = decodeParameters(decoder);
    decoder.checkEndOfBuffer();
    return parameters;
  });
}

/** Version: the versions the server speaks, sent to a client that asked for another one. */
export function encodeVersionBody(versions: readonly number[]): Uint8Array {
  const encoder = new SliceEncoder();
  encoder.encodeSequence(versions, (element, version) => element.encodeVarUInt62(version));
  return encoder.finish();
}

export function decodeVersionBody(body: Uint8Array): number[] {
  return decodeBody("Version", () => {
    const decoder = new SliceDecoder(body);
    const versions = decoder.decodeSequence((element) => element.decodeVarUInt62());
    decoder.checkEndOfBuffer();
    return versions;
  });
}

/** A body that is one varuint62: Close's application error code, StreamWindowUpdate's increment. */
export function encodeVarUInt62Body(value: number): Uint8Array {
  const encoder = new SliceEncoder();
  encoder.encodeVarUInt62(value);
  return encoder.finish();
}

export function decodeVarUInt62Body(frameName: string, body: Uint8Array): number {
  return decodeBody(frameName, () => {
    const decoder = new SliceDecoder(body);
    const value = decoder.decodeVarUInt62();
    decoder.checkEndOfBuffer();
    return value;
  });
}

/** Ping and Pong: an int64, little-endian (C# sends 0 for a write ping, 1 for a read ping). */
export function encodePingBody(payload: bigint): Uint8Array {
  const encoder = new SliceEncoder();
  encoder.encodeInt64(payload);
  return encoder.finish();
}

export function decodePingBody(frameName: string, body: Uint8Array): bigint {
  return decodeBody(frameName, () => {
    const decoder = new SliceDecoder(body);
    const payload = decoder.decodeInt64();
    decoder.checkEndOfBuffer();
    return payload;
  });
}

/** `Dictionary<ParameterKey, Sequence<uint8>>`, each value a minimal varuint62 in its byte sequence. */
function encodeParameters(encoder: SliceEncoder, parameters: SlicParameters): void {
  const present = parameterOrder.filter(([, name]) => parameters[name] !== undefined);
  encoder.encodeSize(present.length);
  for (const [key, name] of present) {
    encoder.encodeVarUInt62(key);
    const value = new SliceEncoder();
    value.encodeVarUInt62(parameters[name]!);
    encoder.encodeByteSequence(value.finish());
  }
}

function decodeParameters(decoder: SliceDecoder): SlicParameters {
  const entries = decoder.decodeDictionary(
    (key) => key.decodeVarUInt62(),
    (value) => value.decodeByteSequence(),
  );
  const parameters: Record<string, number> = {};
  for (const [key, bytes] of entries) {
    const name = parameterOrder.find(([known]) => known === key)?.[1];
    if (name === undefined) {
      continue; // unknown parameters are ignored, as C# does
    }
    const valueDecoder = new SliceDecoder(bytes);
    const value = valueDecoder.decodeVarUInt62();
    valueDecoder.checkEndOfBuffer();
    if (value > maxParameterValue) {
      throw slicProtocolError(`the ${ParameterKey[key]} parameter ${value} is out of range (0..${maxParameterValue}).`);
    }
    parameters[name] = value;
  }
  return parameters;
}
