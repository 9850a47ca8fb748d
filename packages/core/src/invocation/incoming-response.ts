import { StatusCode, statusCodeName } from "../protocol/status-code.js";
import type { IncomingFields } from "../protocol/fields.js";
import { IncomingPayload } from "../protocol/payload.js";
import type { ConnectionContext } from "../dispatch/connection-context.js";

/** A response received for a two-way request (or synthesized as Ok for a one-way request). */
export class IncomingResponse {
  readonly statusCode: StatusCode | number;
  /** Present exactly when `statusCode` is not Ok. */
  readonly errorMessage: string | undefined;
  readonly fields: IncomingFields;
  readonly payload: IncomingPayload;
  readonly connectionContext: ConnectionContext | undefined;

  constructor(init: {
    statusCode: StatusCode | number;
    errorMessage?: string;
    fields?: IncomingFields;
    payload?: IncomingPayload;
    connectionContext?: ConnectionContext;
  }) {
    this.statusCode = init.statusCode;
    this.errorMessage =
      init.statusCode === StatusCode.Ok
        ? undefined
        : (init.errorMessage ?? `The dispatch failed with status code ${statusCodeName(init.statusCode)}.`);
    this.fields = init.fields ?? new Map();
    this.payload = init.payload ?? new IncomingPayload();
    this.connectionContext = init.connectionContext;
  }
}
