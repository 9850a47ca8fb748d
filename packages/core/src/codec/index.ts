export {
  SliceEncoder,
  type EncodeElement,
  type SliceEncoderOptions,
  type StringSizeEncoding,
  type VarUInt62Placeholder,
} from "./slice-encoder.js";
export { SliceDecoder, type DecodeElement } from "./slice-decoder.js";
export { decodeOperationPayload, encodeOperationPayload } from "./operation-payload.js";
export {
  MAX_SIZE,
  VAR_INT62_MAX,
  VAR_INT62_MIN,
  VAR_UINT62_MAX,
  type VarIntWidth,
  varInt62EncodedSize,
  varUInt62EncodedSize,
} from "./var-int.js";
