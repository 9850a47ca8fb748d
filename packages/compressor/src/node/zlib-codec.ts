import { Readable, pipeline, type Transform } from "node:stream";
import { constants, createBrotliCompress, createBrotliDecompress, createDeflateRaw, createInflateRaw } from "node:zlib";

import { CompressionFormat } from "@icerpc-ts/core";

import type { CompressionCodec } from "../common/compression-codec.js";

/**
 * node:zlib streams. Deflate is raw deflate (RFC 1951), as .NET's DeflateStream writes it; both formats compress at
 * the fastest level, IceRPC C#'s `CompressionLevel.Fastest`.
 */
export const zlibCodec: CompressionCodec = {
  supports: (format) => format === CompressionFormat.Deflate || format === CompressionFormat.Brotli,
  compress: (format, source) =>
    through(
      source,
      format === CompressionFormat.Brotli
        ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MIN_QUALITY } })
        : createDeflateRaw({ level: constants.Z_BEST_SPEED }),
    ),
  decompress: (format, source) =>
    through(source, format === CompressionFormat.Brotli ? createBrotliDecompress() : createInflateRaw()),
};

/**
 * The output of `transform` fed from `source`. Stopping early destroys the pipeline, which closes `source`; a
 * failure of either side ends the output with that error.
 */
async function* through(source: AsyncIterable<Uint8Array>, transform: Transform): AsyncGenerator<Uint8Array> {
  // The callback is required; the output reports the same error.
  yield* pipeline(Readable.from(source, { objectMode: false }), transform, () => {}) as AsyncIterable<Uint8Array>;
}
