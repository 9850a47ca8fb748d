import { StatusCode, type Interceptor } from "@icerpc-ts/core";
import { describeError, networkAddresses, statusFields } from "./log-fields.js";
import type { Logger } from "./logger.js";

/**
 * Logs one line per invocation, as IceRPC's logger interceptor: the operation, the service address and the network
 * addresses with the status code, or the error the invocation threw. Add it with `pipeline.use(loggerInterceptor(console))`.
 */
export function loggerInterceptor(logger: Logger): Interceptor {
  return (next) => ({
    async invoke(request, signal) {
      const target = { operation: request.operation, serviceAddress: request.serviceAddress.toString() };
      try {
        const response = await next.invoke(request, signal);
        const addresses = networkAddresses(response.connectionContext);
        if (response.statusCode === StatusCode.Ok) {
          logger.info(
            { event: "Invoke", ...target, ...addresses },
            `Sent request ${target.operation} to ${target.serviceAddress} and received a response with status code Ok`,
          );
        } else {
          const status = statusFields(response.statusCode, response.errorMessage);
          logger.info(
            { event: "InvokeError", ...target, ...addresses, ...status },
            `Sent request ${target.operation} to ${target.serviceAddress} and received a response with status code ` +
              `${status.statusCode} and error message: ${status.errorMessage}`,
          );
        }
        return response;
      } catch (error) {
        logger.info(
          { event: "InvokeException", ...target, error: describeError(error) },
          `Failed to send request ${target.operation} to ${target.serviceAddress}`,
        );
        throw error;
      }
    },
  });
}
