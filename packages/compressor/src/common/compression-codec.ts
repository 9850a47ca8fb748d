import type { CompressionFormat } from "@icerpc-ts/core";

/** Streaming compression and decompression, with the platform's own implementation (node:zlib, CompressionStream). */
export interface CompressionCodec {
  /** True when this platform can compress and decompress `format`. */
  supports(format: CompressionFormat): boolean;
  /** The compressed bytes of `source`, produced as it is read, with backpressure. */
  compress(format: CompressionFormat, source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
  /** The decompressed bytes of `source`; rejects when they are not valid `format` data. */
  decompress(format: CompressionFormat, source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
}
