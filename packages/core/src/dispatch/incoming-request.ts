import { LazyAbortSignal } from "@icerpc-ts/primitives";
import { FeatureCollection } from "../features/feature-collection.js";
import type { IncomingFields } from "../protocol/fields.js";
import type { IncomingPayload } from "../protocol/payload.js";
import type { ConnectionContext } from "./connection-context.js";

/**
 * A request as a dispatcher receives it. Its payload is aborted once the dispatch returns, if still unread. Its
 * `signal` aborts when the caller cancels the invocation or the connection goes away, like a Fetch `Request`'s.
 */
export class IncomingRequest {
  readonly path: string;
  readonly operation: string;
  readonly isOneway: boolean;
  readonly fields: IncomingFields;
  /** Settable, as in IceRPC C#, so that middleware can replace it (e.g. with the decompressed payload). */
  payload: IncomingPayload;
  readonly connectionContext: ConnectionContext;
  readonly features: FeatureCollection;
  readonly #cancellation: LazyAbortSignal;

  constructor(init: {
    path: string;
    operation: string;
    isOneway: boolean;
    fields: IncomingFields;
    payload: IncomingPayload;
    connectionContext: ConnectionContext;
    features?: FeatureCollection;
    /** Set by the connection, which aborts it to cancel the dispatch. */
    cancellation?: LazyAbortSignal;
  }) {
    this.path = init.path;
    this.operation = init.operation;
    this.isOneway = init.isOneway;
    this.fields = init.fields;
    this.payload = init.payload;
    this.connectionContext = init.connectionContext;
    this.features = init.features ?? new FeatureCollection();
    this.#cancellation = init.cancellation ?? new LazyAbortSignal();
  }

  /** Aborts when the dispatch should stop: the caller canceled, or the connection is going away. */
  get signal(): AbortSignal {
    return this.#cancellation.signal;
  }
}
