import type { OutgoingFieldValue } from "../protocol/fields.js";
import type { OutgoingPayload } from "../protocol/payload.js";
import { StatusCode, statusCodeName } from "../protocol/status-code.js";

const emptyPayload = new Uint8Array(0);

export interface OutgoingResponseInit {
  /** Ok by default. */
  readonly statusCode?: StatusCode | number;
  /** For an error status; defaults to "The dispatch failed with status code X.". Not allowed with Ok. */
  readonly errorMessage?: string;
  readonly payload?: OutgoingPayload;
  readonly payloadContinuation?: AsyncIterable<Uint8Array>;
  readonly fields?: ReadonlyMap<number, OutgoingFieldValue>;
}

/** The response a dispatcher returns. */
export class OutgoingResponse {
  readonly statusCode: StatusCode | number;
  readonly errorMessage: string | undefined;
  payload: OutgoingPayload;
  payloadContinuation: AsyncIterable<Uint8Array> | undefined;
  readonly fields: Map<number, OutgoingFieldValue>;

  constructor(init: OutgoingResponseInit = {}) {
    const statusCode = init.statusCode ?? StatusCode.Ok;
    if (!Number.isInteger(statusCode) || statusCode < 0) {
      throw new RangeError(`Invalid status code ${statusCode}: status codes are non-negative integers.`);
    }
    if (statusCode === StatusCode.Ok && init.errorMessage !== undefined) {
      throw new TypeError("An Ok response has no error message.");
    }
    this.statusCode = statusCode;
    this.errorMessage =
      statusCode === StatusCode.Ok
        ? undefined
        : (init.errorMessage ?? `The dispatch failed with status code ${statusCodeName(statusCode)}.`);
    this.payload = init.payload ?? emptyPayload;
    this.payloadContinuation = init.payloadContinuation;
    this.fields = new Map(init.fields);
  }
}
