// @icerpc-ts/compressor in browsers (CompressionStream): `pipeline.use(compressorInterceptor())`. Brotli where the
// platform's CompressionStream accepts "brotli", Deflate elsewhere.
import { compressionStreamCodec } from "./browser/compression-stream-codec.js";
import { compressorsFor } from "./common/compressor.js";

export { compressFeature } from "./common/compress-feature.js";
export type { CompressionCodec } from "./common/compression-codec.js";
export { compressorInterceptor as codecCompressorInterceptor, compressorMiddleware as codecCompressorMiddleware, type CompressorOptions } from "./common/compressor.js";
export { compressionStreamCodec };

export const { compressorInterceptor, compressorMiddleware } = compressorsFor(compressionStreamCodec);
