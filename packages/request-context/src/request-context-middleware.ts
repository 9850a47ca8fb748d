import { DispatchException, InvalidDataError, RequestFieldKey, StatusCode, type Middleware } from "@icerpc-ts/core";

import { decodeRequestContext } from "./request-context-codec.js";
import { requestContextFeature } from "./request-context-feature.js";

/** Decodes request field 0 into the request's `requestContextFeature`; a field that does not decode gets InvalidData. */
export function requestContextMiddleware(): Middleware {
  return (next) => ({
    dispatch(request) {
      const value = request.fields.get(RequestFieldKey.Context);
      if (value !== undefined) {
        let context: Map<string, string>;
        try {
          context = decodeRequestContext(value);
        } catch (error) {
          if (error instanceof InvalidDataError) {
            throw new DispatchException(StatusCode.InvalidData, `Invalid request context field: ${error.message}`, { cause: error });
          }
          throw error;
        }
        request.features.set(requestContextFeature, context);
      }
      return next.dispatch(request);
    },
  });
}
