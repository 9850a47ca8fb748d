import { toServiceAddress, type ServiceAddress } from "../address/service-address.js";
import { FeatureCollection } from "../features/feature-collection.js";
import type { OutgoingFieldValue } from "../protocol/fields.js";
import type { OutgoingPayload } from "../protocol/payload.js";

const emptyPayload = new Uint8Array(0);

export interface OutgoingRequestInit {
  readonly operation: string;
  /** One-way requests get no response; the invocation completes once the payload was sent. */
  readonly isOneway?: boolean;
  readonly payload?: OutgoingPayload;
  /** Streamed after `payload`, on the same stream, while the caller already awaits the response. */
  readonly payloadContinuation?: AsyncIterable<Uint8Array>;
  readonly fields?: ReadonlyMap<number, OutgoingFieldValue>;
  readonly features?: FeatureCollection;
}

/** A request on its way out, as interceptors see it: they may change everything but the target and operation. */
export class OutgoingRequest {
  readonly serviceAddress: ServiceAddress;
  readonly operation: string;
  isOneway: boolean;
  payload: OutgoingPayload;
  payloadContinuation: AsyncIterable<Uint8Array> | undefined;
  readonly fields: Map<number, OutgoingFieldValue>;
  readonly features: FeatureCollection;

  /**
   * A request to `serviceAddress`, a service address or its URI (e.g. `icerpc://host/hello.Greeter?transport=quic`).
   * Throws `TypeError` for an invalid URI or a relative address.
   */
  constructor(serviceAddress: ServiceAddress | string, init: OutgoingRequestInit) {
    const target = toServiceAddress(serviceAddress);
    if (target.protocol === undefined) {
      throw new TypeError(`Cannot send a request to the relative service address '${target}'.`);
    }
    this.serviceAddress = target;
    this.operation = init.operation;
    this.isOneway = init.isOneway ?? false;
    this.payload = init.payload ?? emptyPayload;
    this.payloadContinuation = init.payloadContinuation;
    this.fields = new Map(init.fields);
    this.features = init.features ?? new FeatureCollection();
  }
}
