import { featureKey } from "@icerpc-ts/core";

/**
 * Whether to compress a payload (IceRPC's `ICompressFeature`, which Slice's `[compress]` sets). On an outgoing
 * request: compress its payload. On an incoming request, set by the service during the dispatch: compress the
 * response's payload.
 */
export const compressFeature = featureKey<boolean>("CompressFeature");
