import { CompressionFormat } from "@icerpc-ts/core";

import type { CompressionCodec } from "../common/compression-codec.js";

/**
 * The Compression Streams API's names: raw deflate (RFC 1951) as .NET's DeflateStream, and "brotli", which only some
 * platforms accept (the standard added it after deflate; Node 20's and most browsers' do not have it yet).
 */
const streamFormats = {
  [CompressionFormat.Deflate]: "deflate-raw",
  [CompressionFormat.Brotli]: "brotli",
} as const;

function streamFormat(format: CompressionFormat): globalThis.CompressionFormat {
  // "brotli" is not in TypeScript's DOM types yet; the platform checks it.
  return streamFormats[format] as globalThis.CompressionFormat;
}

/** `CompressionStream` and `DecompressionStream`, where the platform has them (browsers, Node 18+, Deno, Bun). */
export const compressionStreamCodec: CompressionCodec = {
  supports(format) {
    try {
      new DecompressionStream(streamFormat(format));
      new CompressionStream(streamFormat(format));
      return true;
    } catch {
      return false;
    }
  },
  compress: (format, source) => through(source, new CompressionStream(streamFormat(format))),
  decompress: (format, source) => through(source, new DecompressionStream(streamFormat(format))),
};

/**
 * The output of `transform` fed from `source`, with backpressure both ways. Stopping early cancels the transform,
 * which makes the pending write fail and closes `source`; a failure of either side ends the output with it.
 */
async function* through(
  source: AsyncIterable<Uint8Array>,
  transform: TransformStream<BufferSource, Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const writer = transform.writable.getWriter();
  const feeding = (async () => {
    try {
      for await (const chunk of source) {
        // The DOM types want an ArrayBuffer-backed view; payload bytes never live in a SharedArrayBuffer.
        await writer.write(chunk as Uint8Array<ArrayBuffer>);
      }
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => {});
    }
  })();
  const reader = transform.readable.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
    await feeding;
  }
}
