import { featureKey } from "@icerpc-ts/core";

/**
 * The request context: string entries an application sends along with a request (IceRPC's
 * `IRequestContextFeature`). On the client, the interceptor sends the one set on the request's features; on the
 * server, the middleware sets the one received.
 */
export const requestContextFeature = featureKey<ReadonlyMap<string, string>>("RequestContextFeature");
