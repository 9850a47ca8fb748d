import { StatusCode, type Middleware } from "@icerpc-ts/core";
import { describeError, networkAddresses, statusFields } from "./log-fields.js";
import type { Logger } from "./logger.js";

/**
 * Logs one line per dispatch, as IceRPC's logger middleware: the operation, the path and the network addresses with
 * the status code, or the error the dispatch threw. Add it with `router.use(loggerMiddleware(console))`.
 */
export function loggerMiddleware(logger: Logger): Middleware {
  return (next) => ({
    async dispatch(request) {
      const target = { operation: request.operation, path: request.path };
      const addresses = networkAddresses(request.connectionContext);
      try {
        const response = await next.dispatch(request);
        if (response.statusCode === StatusCode.Ok) {
          logger.info(
            { event: "Dispatch", ...target, ...addresses },
            `Dispatch of ${target.operation} to ${target.path} returned a response with status code Ok`,
          );
        } else {
          const status = statusFields(response.statusCode, response.errorMessage);
          logger.info(
            { event: "DispatchError", ...target, ...addresses, ...status },
            `Dispatch of ${target.operation} to ${target.path} returned a response with status code ` +
              `${status.statusCode} and error message: ${status.errorMessage}`,
          );
        }
        return response;
      } catch (error) {
        logger.info(
          { event: "DispatchException", ...target, ...addresses, error: describeError(error) },
          `Failed to dispatch ${target.operation} to ${target.path}`,
        );
        throw error;
      }
    },
  });
}
