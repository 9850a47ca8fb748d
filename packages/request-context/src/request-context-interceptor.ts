import { RequestFieldKey, type Interceptor } from "@icerpc-ts/core";

import { encodeRequestContext } from "./request-context-codec.js";
import { requestContextFeature } from "./request-context-feature.js";

/**
 * Sends the request context set on a request's features as request field 0. An empty context removes the field, as
 * in IceRPC C#; a request without the feature keeps the fields it has.
 */
export function requestContextInterceptor(): Interceptor {
  return (next) => ({
    invoke(request, signal) {
      const context = request.features.get(requestContextFeature);
      if (context !== undefined) {
        if (context.size === 0) {
          request.fields.delete(RequestFieldKey.Context);
        } else {
          request.fields.set(RequestFieldKey.Context, (encoder) => encodeRequestContext(encoder, context));
        }
      }
      return next.invoke(request, signal);
    },
  });
}
