import {
  CompressionFormat,
  IncomingResponse,
  InvalidDataError,
  OutgoingResponse,
  RequestFieldKey,
  ResponseFieldKey,
  StatusCode,
  type Interceptor,
  type Middleware,
} from "@icerpc-ts/core";

import { compressFeature } from "./compress-feature.js";
import type { CompressionCodec } from "./compression-codec.js";
import { compressOutgoing, decodeCompressionFormat, decompressIncoming } from "./payload-compression.js";

export interface CompressorOptions {
  /**
   * The format of the payloads this side compresses; it decompresses both. Default Brotli, as IceRPC C#, where the
   * platform has it, else Deflate.
   */
  readonly format?: CompressionFormat;
}

/** The interceptor and middleware of one platform's codec: what each entry point exports. */
export function compressorsFor(codec: CompressionCodec): {
  compressorInterceptor(options?: CompressorOptions): Interceptor;
  compressorMiddleware(options?: CompressorOptions): Middleware;
} {
  return {
    compressorInterceptor: (options) => compressorInterceptor(codec, options),
    compressorMiddleware: (options) => compressorMiddleware(codec, options),
  };
}

function formatOf(codec: CompressionCodec, options: CompressorOptions): CompressionFormat {
  const format =
    options.format ?? (codec.supports(CompressionFormat.Brotli) ? CompressionFormat.Brotli : CompressionFormat.Deflate);
  if (!codec.supports(format)) {
    throw new RangeError(`This platform cannot compress with ${CompressionFormat[format] ?? `format ${format}`}.`);
  }
  return format;
}

/**
 * The client side: compresses the payload of requests whose `compressFeature` is true (request field 2 says how),
 * and decompresses the payload of Ok responses that carry response field 2. A peer that compresses nothing works
 * unchanged.
 */
export function compressorInterceptor(codec: CompressionCodec, options: CompressorOptions = {}): Interceptor {
  const format = formatOf(codec, options);
  const formatField = new Uint8Array([format]);
  return (next) => ({
    async invoke(request, signal) {
      if (request.features.get(compressFeature) === true && !request.fields.has(RequestFieldKey.CompressionFormat)) {
        request.fields.set(RequestFieldKey.CompressionFormat, formatField);
        compressOutgoing(request, codec, format);
      }
      const response = await next.invoke(request, signal);
      const value = response.fields.get(ResponseFieldKey.CompressionFormat);
      if (value === undefined || response.statusCode !== StatusCode.Ok) {
        return response;
      }
      const responseFormat = decodeCompressionFormat(value);
      if (responseFormat === undefined || !codec.supports(responseFormat)) {
        response.payload.abort();
        throw new InvalidDataError(`The response payload is compressed with an unsupported format (field value ${value.join(" ")}).`);
      }
      return new IncomingResponse({
        statusCode: response.statusCode,
        fields: response.fields,
        payload: decompressIncoming(response.payload, codec, responseFormat),
        connectionContext: response.connectionContext,
      });
    },
  });
}

/**
 * The server side: decompresses the payload of requests that carry request field 2 (NotSupported for a format it
 * cannot decompress), and compresses the payload of Ok responses when the service set the request's
 * `compressFeature` to true.
 */
export function compressorMiddleware(codec: CompressionCodec, options: CompressorOptions = {}): Middleware {
  const format = formatOf(codec, options);
  const formatField = new Uint8Array([format]);
  return (next) => ({
    async dispatch(request) {
      const value = request.fields.get(RequestFieldKey.CompressionFormat);
      if (value !== undefined) {
        const requestFormat = decodeCompressionFormat(value);
        if (requestFormat === undefined || !codec.supports(requestFormat)) {
          return new OutgoingResponse({
            statusCode: StatusCode.NotSupported,
            errorMessage: `The request payload is compressed with an unsupported format (field value ${value.join(" ")}).`,
          });
        }
        request.payload = decompressIncoming(request.payload, codec, requestFormat);
      }
      const response = await next.dispatch(request);
      if (
        request.features.get(compressFeature) === true &&
        response.statusCode === StatusCode.Ok &&
        !response.fields.has(ResponseFieldKey.CompressionFormat)
      ) {
        response.fields.set(ResponseFieldKey.CompressionFormat, formatField);
        compressOutgoing(response, codec, format);
      }
      return response;
    },
  });
}
