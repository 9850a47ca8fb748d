import { AsyncSemaphore, LazyAbortSignal } from "@icerpc-ts/primitives";
import { IceRpcError, IceRpcException } from "../../errors/ice-rpc-error.js";
import { InvalidOperationError } from "../../errors/usage-errors.js";
import { DispatchException, errorToResponse } from "../../dispatch/dispatch-exception.js";
import type { Dispatcher } from "../../dispatch/dispatcher.js";
import { IncomingRequest } from "../../dispatch/incoming-request.js";
import { OutgoingResponse } from "../../dispatch/outgoing-response.js";
import type { GoAway } from "../../protocol/control-frames.js";
import { IncomingPayload } from "../../protocol/payload.js";
import { decodeRequestHeader, type RequestHeader } from "../../protocol/request-header.js";
import { encodeResponseHeader } from "../../protocol/response-header.js";
import type { MultiplexedStream } from "../../transport/multiplexed-stream.js";
import { abortStream } from "./abort-stream.js";
import { BufferedStreamReader } from "../../transport-helpers/buffered-stream-reader.js";
import type { ConnectedConnection } from "./connected-connection.js";
import { closeUnsentPayload, sendContinuation, sendPayload } from "./payload-sender.js";
import type { ConnectionOptions } from "../connection-options.js";
import type { StreamTracker } from "./stream-tracker.js";

/** The part of a response being sent when sending failed. */
type ResponsePart = "header" | "payload" | "continuation";

/**
 * The dispatch side of a connected icerpc connection (reference §2.3): accepts the peer's request streams, dispatches
 * each request within MaxDispatches and sends back its response, and knows which streams it accepted, for GoAway.
 */
export class Dispatches {
  readonly #connection: ConnectedConnection;
  readonly #dispatcher: Dispatcher | undefined;
  readonly #dispatchSlots: AsyncSemaphore | undefined;
  readonly #sendUnexpectedErrorDetail: boolean;
  readonly #onDispatchError: ConnectionOptions["onDispatchError"];
  /** Accepting a stream failed: the connection is lost. */
  readonly #onConnectionLost: (error: unknown) => void;
  /** The cancellations of the dispatches in progress. */
  readonly #cancellations = new Set<LazyAbortSignal>();
  #lastBidirectionalStreamId: number | undefined;
  #lastUnidirectionalStreamId: number | undefined;

  /** Dispatches with `options.dispatcher`: without one, the peer may send no requests. */
  constructor(connection: ConnectedConnection, options: ConnectionOptions, onConnectionLost: (error: unknown) => void) {
    this.#connection = connection;
    this.#dispatcher = options.dispatcher;
    this.#dispatchSlots =
      options.dispatcher !== undefined && options.maxDispatches > 0 ? new AsyncSemaphore(options.maxDispatches) : undefined;
    this.#sendUnexpectedErrorDetail = options.sendUnexpectedErrorDetail;
    this.#onDispatchError = options.onDispatchError;
    this.#onConnectionLost = onConnectionLost;
  }

  /**
   * Accepts the peer's request streams until `signal` aborts (shutdown, dispose); a transport failure before that
   * loses the connection. Without dispatcher the peer may open none, and the pending accept only watches for that
   * failure.
   */
  accept(signal: AbortSignal): Promise<void> {
    return this.#dispatcher === undefined ? this.#watchTransport(signal) : this.#acceptRequests(signal);
  }

  /** The first stream ids of each type this side did not accept and never will (reference §1.4), for our GoAway. */
  notAcceptedStreamIds(peerControlStreamId: number): GoAway {
    const peerInitiatorBit = this.#connection.connectionContext.isServer ? 0 : 1;
    return {
      bidirectionalStreamId: this.#lastBidirectionalStreamId === undefined ? peerInitiatorBit : this.#lastBidirectionalStreamId + 4,
      unidirectionalStreamId: (this.#lastUnidirectionalStreamId ?? peerControlStreamId) + 4,
    };
  }

  /** Cancels every dispatch in progress with `reason`, as dispose does. */
  cancelAll(reason: IceRpcException): void {
    for (const cancellation of this.#cancellations) {
      cancellation.abort(reason);
    }
  }

  async #acceptRequests(signal: AbortSignal): Promise<void> {
    const { transport, activity, background } = this.#connection;
    for (;;) {
      let stream: MultiplexedStream;
      try {
        stream = await transport.acceptStream(signal);
      } catch (error) {
        if (!signal.aborted) {
          this.#onConnectionLost(error);
        }
        return;
      }
      if (stream.isBidirectional) {
        this.#lastBidirectionalStreamId = stream.id;
      } else {
        this.#lastUnidirectionalStreamId = stream.id;
      }
      activity.increase();
      background.run(this.#dispatch(stream), activity.decrease);
    }
  }

  async #watchTransport(signal: AbortSignal): Promise<void> {
    try {
      const stream = await this.#connection.transport.acceptStream(signal);
      // The peer ignored our stream limits of 0: refuse the request.
      stream.input.abort();
      if (stream.isBidirectional) {
        stream.output.abort();
      }
      this.#onConnectionLost(new IceRpcException(IceRpcError.IceRpcError, "The peer sent a request to a connection without dispatcher."));
    } catch (error) {
      if (!signal.aborted) {
        this.#onConnectionLost(error);
      }
    }
  }

  /**
   * Reads the request the peer sent on `stream`, dispatches it and sends back the response when two-way. The steps
   * are awaited here, in one async frame: a helper per step would cost a promise per request.
   */
  async #dispatch(stream: MultiplexedStream): Promise<void> {
    const connection = this.#connection;
    const tracker = connection.activity.trackStream(stream);
    const reader = new BufferedStreamReader(stream.input);
    let header: RequestHeader;
    try {
      // The header nearly always came with the stream: no promise then.
      header = decodeRequestHeader(
        reader.tryReadSizePrefixed(connection.maxHeaderSize, "request header") ??
          (await reader.readSizePrefixed(connection.maxHeaderSize, "request header")),
      );
    } catch {
      refuseInvalidRequest(stream, tracker);
      return;
    }

    const cancellation = new LazyAbortSignal();
    const request = this.#receive(stream, reader, header, tracker, cancellation);
    if (this.#dispatchSlots !== undefined && !this.#dispatchSlots.tryAcquire()) {
      try {
        await this.#dispatchSlots.acquire(cancellation.signal);
      } catch {
        // Canceled while waiting for a dispatch slot: nothing to answer.
        this.#cancellations.delete(cancellation);
        abandonRequest(stream, request, tracker);
        return;
      }
    }

    let response: OutgoingResponse;
    try {
      response = await this.#dispatcher!.dispatch(request);
      if (!(response instanceof OutgoingResponse)) {
        throw new InvalidOperationError("The dispatcher returned something other than an OutgoingResponse.");
      }
    } catch (error) {
      response = this.#errorResponse(error, request);
    } finally {
      this.#dispatchSlots?.release();
      this.#cancellations.delete(cancellation);
    }
    // The dispatch is over: a payload it did not read is no longer wanted.
    request.payload.abort();
    if (!stream.isBidirectional) {
      discardResponse(response);
      return;
    }

    let sending: ResponsePart = "header";
    try {
      const { maxHeaderSize, sizeLength } = connection.peerHeaderLimit;
      const responseHeader = encodeResponseHeader(response, maxHeaderSize, sizeLength);
      const endStream = response.payloadContinuation === undefined;
      sending = "payload";
      const result = await sendPayload(stream, responseHeader, response.payload, endStream);
      sending = "continuation";
      if (!endStream && result === "flushed") {
        await sendContinuation(stream, response.payloadContinuation!);
      }
    } catch {
      abandonResponse(stream, response, sending);
    } finally {
      tracker.outputDone();
    }
  }

  /** The response to the error a dispatch threw; an unexpected one first goes to the application's hook. */
  #errorResponse(error: unknown, request: IncomingRequest): OutgoingResponse {
    const response = errorToResponse(error, this.#sendUnexpectedErrorDetail);
    if (!(error instanceof DispatchException)) {
      reportDispatchError(this.#onDispatchError, error, request);
    }
    return response;
  }

  /**
   * The request as the dispatcher sees it. Its dispatch is canceled when the peer stops reading the response (it
   * canceled the invocation) or on dispose.
   */
  #receive(
    stream: MultiplexedStream,
    reader: BufferedStreamReader,
    header: RequestHeader,
    tracker: StreamTracker,
    cancellation: LazyAbortSignal,
  ): IncomingRequest {
    const request = new IncomingRequest({
      path: header.path,
      operation: header.operation,
      fields: header.fields,
      isOneway: !stream.isBidirectional,
      payload: new IncomingPayload(stream.input, reader.takeRemaining(), tracker.inputDone),
      connectionContext: this.#connection.connectionContext,
      cancellation,
    });
    this.#cancellations.add(cancellation);
    if (stream.isBidirectional) {
      void stream.writesClosed.then(() => {
        if (this.#cancellations.has(cancellation)) {
          cancellation.abort(new IceRpcException(IceRpcError.TruncatedData, "The caller canceled the invocation."));
        }
      });
    }
    return request;
  }
}

/** Refuses a request whose header is invalid: the peer's invocation fails (TruncatedData), the connection stays up. */
function refuseInvalidRequest(stream: MultiplexedStream, tracker: StreamTracker): void {
  abortStream(stream);
  tracker.inputDone();
  tracker.outputDone();
}

/** Gives up a request canceled before its dispatch started: its payload is not wanted, and no response follows. */
function abandonRequest(stream: MultiplexedStream, request: IncomingRequest, tracker: StreamTracker): void {
  request.payload.abort();
  if (stream.isBidirectional) {
    stream.output.abort();
  }
  tracker.outputDone();
}

/** Drops the response to a one-way request, which the peer does not read. */
function discardResponse(response: OutgoingResponse): void {
  closeUnsentPayload(response.payload);
  closeUnsentPayload(response.payloadContinuation);
}

/**
 * Gives up a response that could not be sent whole (header too large, payload failure, connection gone): the caller
 * sees TruncatedData, and the payloads not sent yet learn they are not wanted.
 */
function abandonResponse(stream: MultiplexedStream, response: OutgoingResponse, failed: ResponsePart): void {
  stream.output.abort();
  if (failed === "header") {
    closeUnsentPayload(response.payload);
  }
  if (failed !== "continuation") {
    closeUnsentPayload(response.payloadContinuation);
  }
}

/** Hands an unexpected dispatch error to the application's hook; the hook's own failure must not fail the dispatch. */
function reportDispatchError(
  onDispatchError: ConnectionOptions["onDispatchError"],
  error: unknown,
  request: IncomingRequest,
): void {
  try {
    onDispatchError?.(error, request);
  } catch {
    // Ignored, as documented: the response is sent whatever the hook does.
  }
}
