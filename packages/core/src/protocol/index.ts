export { CompressionFormat, RequestFieldKey, ResponseFieldKey } from "./field-keys.js";
export type { IncomingFields, OutgoingFieldValue } from "./fields.js";
export { IncomingPayload, type OutgoingPayload } from "./payload.js";
export { StatusCode } from "./status-code.js";
