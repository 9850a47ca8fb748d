import type { Attributes } from "@opentelemetry/api";

/** The span name and attributes of the OpenTelemetry RPC semantic conventions, as IceRPC's activities carry them. */
export function rpcSpan(path: string, operation: string): { name: string; attributes: Attributes } {
  return {
    name: `${path}/${operation}`,
    attributes: { "rpc.system": "icerpc", "rpc.service": path, "rpc.method": operation },
  };
}
