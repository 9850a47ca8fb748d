// @icerpc-ts/compressor in Node (node:zlib): `pipeline.use(compressorInterceptor())`, `router.use(compressorMiddleware())`.
import { compressorsFor } from "./common/compressor.js";
import { zlibCodec } from "./node/zlib-codec.js";

export { compressFeature } from "./common/compress-feature.js";
export type { CompressionCodec } from "./common/compression-codec.js";
export { compressorInterceptor as codecCompressorInterceptor, compressorMiddleware as codecCompressorMiddleware, type CompressorOptions } from "./common/compressor.js";
export { compressionStreamCodec } from "./browser/compression-stream-codec.js";
export { zlibCodec };

export const { compressorInterceptor, compressorMiddleware } = compressorsFor(zlibCodec);
