import { SliceDecoder, SliceEncoder, type VarIntWidth } from "../codec/index.js";
import { InvalidDataError } from "../errors/usage-errors.js";

/** The frames of the icerpc control streams. */
export enum ControlFrameType {
  Settings = 0,
  GoAway = 1,
}

/** The keys of the Settings dictionary; unknown keys are ignored. */
export enum SettingKey {
  MaxHeaderSize = 0,
}

/** IceRPC C# rejects larger bodies. */
export const maxSettingsBodySize = 1024;
export const maxGoAwayBodySize = 16;

const defaultMaxHeaderSize = 16_383;
const minMaxHeaderSize = 63;
const maxMaxHeaderSize = 1_048_575;
/** The Settings frame goes out before the peer's MaxHeaderSize is known, so its size uses the default's width. */
const settingsSizeWidth: VarIntWidth = 2;

export interface Settings {
  /** Absent when the peer uses the default (16,383). */
  readonly maxHeaderSize?: number;
}

/** "Every stream of this type with this id or more was not accepted and never will be." */
export interface GoAway {
  readonly bidirectionalStreamId: number;
  readonly unidirectionalStreamId: number;
}

/** A whole Settings frame. MaxHeaderSize is sent only when it is not the default, as IceRPC C# does. */
export function encodeSettingsFrame(settings: { maxHeaderSize: number }): Uint8Array {
  const encoder = new SliceEncoder({ initialCapacity: 16 });
  encoder.encodeUInt8(ControlFrameType.Settings);
  encoder.encodeSizePrefixed(settingsSizeWidth, (body) => {
    const entries: Array<[number, number]> =
      settings.maxHeaderSize === defaultMaxHeaderSize ? [] : [[SettingKey.MaxHeaderSize, settings.maxHeaderSize]];
    body.encodeDictionary(
      entries,
      (e, key) => e.encodeVarUInt62(key),
      (e, value) => e.encodeVarUInt62(value),
    );
  });
  return encoder.finish();
}

export function decodeSettingsBody(body: Uint8Array): Settings {
  const decoder = new SliceDecoder(body);
  const entries = decoder.decodeDictionary(
    (d) => d.decodeVarUInt62(),
    (d) => d.decodeVarUInt62(),
  );
  const maxHeaderSize = entries.get(SettingKey.MaxHeaderSize);
  if (maxHeaderSize !== undefined && (maxHeaderSize < minMaxHeaderSize || maxHeaderSize > maxMaxHeaderSize)) {
    throw new InvalidDataError(
      `The peer's MaxHeaderSize ${maxHeaderSize} is out of range: it must be between ${minMaxHeaderSize} and ${maxMaxHeaderSize}.`,
    );
  }
  decoder.checkEndOfBuffer();
  return maxHeaderSize === undefined ? {} : { maxHeaderSize };
}

/** A whole GoAway frame, its size on `sizeWidth` bytes (the width for the peer's MaxHeaderSize). */
export function encodeGoAwayFrame(goAway: GoAway, sizeWidth: VarIntWidth): Uint8Array {
  const encoder = new SliceEncoder({ initialCapacity: 24 });
  encoder.encodeUInt8(ControlFrameType.GoAway);
  encoder.encodeSizePrefixed(sizeWidth, (body) => {
    body.encodeVarUInt62(goAway.bidirectionalStreamId);
    body.encodeVarUInt62(goAway.unidirectionalStreamId);
  });
  return encoder.finish();
}

export function decodeGoAwayBody(body: Uint8Array): GoAway {
  const decoder = new SliceDecoder(body);
  const goAway = { bidirectionalStreamId: decoder.decodeVarUInt62(), unidirectionalStreamId: decoder.decodeVarUInt62() };
  decoder.checkEndOfBuffer();
  return goAway;
}
