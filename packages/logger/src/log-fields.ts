import { StatusCode, type ConnectionContext } from "@icerpc-ts/core";
import type { NetworkAddress } from "@icerpc-ts/core/transport";

export function networkAddresses(
  context: ConnectionContext | undefined,
): { localNetworkAddress?: string; remoteNetworkAddress?: string } {
  if (context === undefined) {
    return {};
  }
  const { localNetworkAddress, remoteNetworkAddress } = context.transportConnectionInformation;
  return { localNetworkAddress: formatAddress(localNetworkAddress), remoteNetworkAddress: formatAddress(remoteNetworkAddress) };
}

export function statusFields(
  statusCode: StatusCode | number,
  errorMessage: string | undefined,
): { statusCode: string; errorMessage?: string } {
  const name = StatusCode[statusCode] ?? String(statusCode);
  return errorMessage === undefined ? { statusCode: name } : { statusCode: name, errorMessage };
}

/** Only the error's name and message: its other properties and stack may hold anything. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function formatAddress(address: NetworkAddress): string {
  return address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
