import type { VarIntWidth } from "../codec/index.js";

/**
 * The width of header and control-frame size prefixes: the bytes needed to encode the peer's MaxHeaderSize as a
 * varuint62 (2 for the default 16,383). IceRPC C# always writes sizes on this fixed width; we do the same so that
 * the bytes match, and a decoder accepts any width.
 */
export function sizeLengthFor(peerMaxHeaderSize: number): VarIntWidth {
  return peerMaxHeaderSize <= 63 ? 1 : peerMaxHeaderSize <= 16_383 ? 2 : 4;
}
