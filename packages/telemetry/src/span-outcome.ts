import { StatusCode } from "@icerpc-ts/core";
import { SpanStatusCode, type Span } from "@opentelemetry/api";

/** Records an icerpc status code on `span`; any code but Ok marks the span as failed. */
export function recordStatusCode(span: Span, statusCode: number, errorMessage: string | undefined): void {
  span.setAttribute("rpc.response.status_code", StatusCode[statusCode] ?? String(statusCode));
  if (statusCode !== StatusCode.Ok) {
    span.setStatus({ code: SpanStatusCode.ERROR, ...(errorMessage === undefined ? {} : { message: errorMessage }) });
  }
}

export function recordError(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.setAttribute("error.type", error instanceof Error ? error.name : typeof error);
}
