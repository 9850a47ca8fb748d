import { followAbort, unfollowAbort } from "@icerpc-ts/primitives";
import { IceRpcError, IceRpcException } from "../../errors/ice-rpc-error.js";
import { InvalidDataError } from "../../errors/usage-errors.js";
import { IncomingResponse } from "../../invocation/incoming-response.js";
import type { OutgoingRequest } from "../../invocation/outgoing-request.js";
import type { GoAway } from "../../protocol/control-frames.js";
import { IncomingPayload } from "../../protocol/payload.js";
import { encodeRequestHeader } from "../../protocol/request-header.js";
import { decodeResponseHeader } from "../../protocol/response-header.js";
import { StatusCode } from "../../protocol/status-code.js";
import type { MultiplexedStream } from "../../transport/multiplexed-stream.js";
import { abortStream } from "./abort-stream.js";
import { BufferedStreamReader } from "../../transport-helpers/buffered-stream-reader.js";
import type { ConnectedConnection } from "./connected-connection.js";
import { closeUnsentPayload, sendContinuation, sendPayload } from "./payload-sender.js";
import { type PeerRequestRefusals, peerRequestRefusals } from "./peer-request-refusals.js";
import { PendingInvocation } from "./pending-invocation.js";
import type { StreamTracker } from "./stream-tracker.js";

/**
 * The invocation side of a connected icerpc connection (reference §2.3): sends each request on a stream of its own
 * and reads the response, and cancels the invocations in flight when GoAway, shutdown or dispose say so.
 */
export class Invocations {
  readonly #connection: ConnectedConnection;
  /** The transport failed to create a stream: the connection is lost. */
  readonly #onTransportFailure: (error: unknown) => void;
  /** The requests the peer can never accept, judged when connecting. */
  readonly #peerRefusals: PeerRequestRefusals;
  /** The invocations in flight, and the request payload continuations still being sent. */
  readonly #pending = new Set<PendingInvocation>();

  constructor(connection: ConnectedConnection, onTransportFailure: (error: unknown) => void) {
    this.#connection = connection;
    this.#onTransportFailure = onTransportFailure;
    this.#peerRefusals = peerRequestRefusals(connection.connectionContext.transportConnectionInformation.peerStreamLimits);
  }

  async invoke(request: OutgoingRequest, signal: AbortSignal | undefined): Promise<IncomingResponse> {
    const connection = this.#connection;
    signal?.throwIfAborted();
    const refusal = request.isOneway ? this.#peerRefusals.oneway : this.#peerRefusals.twoWay;
    if (refusal !== undefined) {
      throw new IceRpcException(IceRpcError.LimitExceeded, refusal);
    }
    // Encoding first checks the header against the peer's MaxHeaderSize before a stream is taken.
    const header = encodeRequestHeader(request, connection.peerHeaderLimit.maxHeaderSize, connection.peerHeaderLimit.sizeLength);

    const invocation = new PendingInvocation();
    let payloadSent = false;
    // Followed, not listened to: a caller may pass one signal to any number of concurrent invocations.
    const onCallerAbort = signal === undefined ? undefined : (reason: unknown): void => invocation.cancel(reason);
    if (onCallerAbort !== undefined) {
      followAbort(signal!, onCallerAbort);
    }
    this.#pending.add(invocation);
    connection.activity.increase();
    let tracker: StreamTracker | undefined;
    try {
      let stream: MultiplexedStream;
      try {
        stream = await invocation.createStream(connection.transport, !request.isOneway, signal);
      } catch (error) {
        if (invocation.canceled || signal?.aborted) {
          throw error;
        }
        // The transport failed before anything was sent: the connection is lost and the request safe to retry.
        this.#onTransportFailure(error);
        throw new IceRpcException(IceRpcError.InvocationRefused, "The invocation was refused: the connection was lost.", { cause: error });
      }
      tracker = connection.activity.trackStream(stream);

      const endStream = request.payloadContinuation === undefined;
      payloadSent = true;
      await sendPayload(stream, header, request.payload, endStream);
      if (endStream) {
        tracker.outputDone();
      } else {
        this.#sendContinuationInBackground(stream, request.payloadContinuation!, tracker);
      }

      if (request.isOneway) {
        return new IncomingResponse({ statusCode: StatusCode.Ok, connectionContext: connection.connectionContext });
      }

      const reader = new BufferedStreamReader(stream.input);
      const headerBytes = await reader.readSizePrefixed(connection.maxHeaderSize, "response header");
      const responseHeader = decodeResponseHeader(headerBytes);
      // Explicit properties, not a spread: Node 20 spends microseconds on an object spread with extra properties.
      return new IncomingResponse({
        statusCode: responseHeader.statusCode,
        errorMessage: responseHeader.errorMessage,
        fields: responseHeader.fields,
        payload: new IncomingPayload(stream.input, reader.takeRemaining(), tracker.inputDone),
        connectionContext: connection.connectionContext,
      });
    } catch (error) {
      if (!payloadSent) {
        closeUnsentPayload(request.payload);
        closeUnsentPayload(request.payloadContinuation);
      }
      if (invocation.stream !== undefined) {
        abortStream(invocation.stream);
        tracker?.inputDone();
        tracker?.outputDone();
      }
      if (invocation.canceled) {
        throw invocation.reason;
      }
      if (error instanceof InvalidDataError) {
        throw new IceRpcException(IceRpcError.IceRpcError, `Received an invalid response header: ${error.message}`, { cause: error });
      }
      throw error;
    } finally {
      if (onCallerAbort !== undefined) {
        unfollowAbort(signal!, onCallerAbort);
      }
      this.#pending.delete(invocation);
      connection.activity.decrease();
    }
  }

  /**
   * Copies a request payload continuation while the invocation awaits the response, and after it returned: the
   * caller's signal no longer applies once the response arrived, but GoAway and dispose still stop the copy. A caller
   * canceling earlier aborts the stream, which stops the copy too.
   */
  #sendContinuationInBackground(stream: MultiplexedStream, continuation: AsyncIterable<Uint8Array>, tracker: StreamTracker): void {
    const connection = this.#connection;
    const continued = new PendingInvocation();
    continued.stream = stream;
    this.#pending.add(continued);
    connection.activity.increase();
    connection.background.run(
      sendContinuation(stream, continuation)
        .catch(() => stream.output.abort())
        .finally(() => {
          tracker.outputDone();
          this.#pending.delete(continued);
          connection.activity.decrease();
        }),
    );
  }

  /** Cancels with `reason` the invocations still waiting for a stream: they sent nothing. */
  cancelUnsent(reason: IceRpcException): void {
    for (const invocation of this.#pending) {
      if (invocation.stream === undefined) {
        invocation.cancel(reason);
      }
    }
  }

  /** Cancels the invocations the peer says it did not and will not accept: they are safe to retry. */
  cancelNotAccepted(goAway: GoAway): void {
    for (const invocation of this.#pending) {
      const stream = invocation.stream;
      const notAccepted =
        stream === undefined ||
        (stream.isBidirectional ? stream.id >= goAway.bidirectionalStreamId : stream.id >= goAway.unidirectionalStreamId);
      if (notAccepted) {
        invocation.cancel(
          stream === undefined
            ? new IceRpcException(IceRpcError.InvocationRefused, "The invocation was refused: the connection is shutting down.")
            : new IceRpcException(IceRpcError.InvocationCanceled, "The connection is shutting down."),
        );
      }
    }
  }

  /**
   * Cancels every invocation, as dispose does: with `refused` those still waiting for a stream (they sent nothing, so
   * are safe to retry elsewhere), with `aborted` the others.
   */
  cancelAll(aborted: IceRpcException, refused: IceRpcException): void {
    for (const invocation of this.#pending) {
      invocation.cancel(invocation.stream === undefined ? refused : aborted);
    }
  }
}
