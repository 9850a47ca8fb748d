import { IceRpcError, IceRpcException, RequestFieldKey, serverAddressFeature, type OutgoingRequest } from "@icerpc-ts/core";

/**
 * True when a failed attempt may be sent again (reference sections 2.6 and 5): InvocationCanceled always (the peer
 * did not dispatch it); ConnectionAborted and TruncatedData only for an idempotent request, since the peer may have
 * dispatched it already.
 */
export function isRetryableFailure(error: unknown, request: OutgoingRequest): boolean {
  if (!(error instanceof IceRpcException)) {
    return false;
  }
  switch (error.error) {
    case IceRpcError.InvocationCanceled:
      return true;
    case IceRpcError.ConnectionAborted:
    case IceRpcError.TruncatedData:
      return request.fields.has(RequestFieldKey.Idempotent);
    default:
      return false;
  }
}

/**
 * After an Unavailable response: removes the server that sent it from the request's server addresses, so that the
 * connection cache sends the next attempt to another replica. False, and nothing changed, when there is no other.
 */
export function moveToAnotherReplica(request: OutgoingRequest): boolean {
  let feature = request.features.get(serverAddressFeature);
  if (feature === undefined) {
    const { serverAddress, altServerAddresses } = request.serviceAddress;
    feature = { serverAddress, altServerAddresses, removedServerAddresses: [] };
  }
  const [nextAddress, ...otherAddresses] = feature.altServerAddresses;
  if (feature.serverAddress === undefined || nextAddress === undefined) {
    return false;
  }
  feature.removedServerAddresses = [...feature.removedServerAddresses, feature.serverAddress];
  feature.serverAddress = nextAddress;
  feature.altServerAddresses = otherAddresses;
  request.features.set(serverAddressFeature, feature);
  return true;
}
