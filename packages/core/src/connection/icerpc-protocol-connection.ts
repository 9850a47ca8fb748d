import {
  AsyncSemaphore,
  followAbort,
  unfollowAbort,
  waitAbortable,
  Deferred,
  LazyAbortSignal,
  SignalLink,
} from "@icerpc-ts/primitives";
import type { VarIntWidth } from "../codec/index.js";
import { IceRpcError, IceRpcException } from "../errors/ice-rpc-error.js";
import { InvalidDataError, InvalidOperationError, ObjectDisposedError } from "../errors/usage-errors.js";
import type { ConnectionContext } from "../dispatch/connection-context.js";
import { DispatchException, errorToResponse } from "../dispatch/dispatch-exception.js";
import type { Dispatcher } from "../dispatch/dispatcher.js";
import { IncomingRequest } from "../dispatch/incoming-request.js";
import { OutgoingResponse } from "../dispatch/outgoing-response.js";
import { IncomingResponse } from "../invocation/incoming-response.js";
import type { OutgoingRequest } from "../invocation/outgoing-request.js";
import {
  ControlFrameType,
  decodeGoAwayBody,
  decodeSettingsBody,
  encodeGoAwayFrame,
  encodeSettingsFrame,
  maxGoAwayBodySize,
  maxSettingsBodySize,
  type GoAway,
} from "../protocol/control-frames.js";
import { IncomingPayload } from "../protocol/payload.js";
import { decodeRequestHeader, encodeRequestHeader } from "../protocol/request-header.js";
import { decodeResponseHeader, encodeResponseHeader } from "../protocol/response-header.js";
import { sizeLengthFor } from "../protocol/header-size.js";
import { StatusCode } from "../protocol/status-code.js";
import { MultiplexedConnectionCloseError } from "../transport/close-code.js";
import type { MultiplexedConnection, TransportConnectionInformation } from "../transport/multiplexed-connection.js";
import type { MultiplexedStream } from "../transport/multiplexed-stream.js";
import { BufferedStreamReader } from "./buffered-stream-reader.js";
import type { ConnectionOptions } from "./connection-options.js";
import { closeUnsentPayload, sendContinuation, sendPayload } from "./payload-sender.js";
import type { ConnectResult, ProtocolConnection } from "./protocol-connection.js";
import { abortStream } from "./abort-stream.js";
import { PendingInvocation } from "./pending-invocation.js";
import { type PeerRequestRefusals, peerRequestRefusals } from "./peer-request-refusals.js";
import { StreamTracker } from "./stream-tracker.js";

/** The icerpc default for MaxHeaderSize; a peer that does not send the setting uses it. */
const defaultMaxHeaderSize = 16_383;

/**
 * The icerpc protocol over a multiplexed transport connection (reference §2): control streams with Settings and
 * GoAway, one stream per request, dispatch with MaxDispatches, the inactivity timeout, graceful shutdown and dispose.
 */
export class IceRpcProtocolConnection implements ProtocolConnection {
  readonly #transport: MultiplexedConnection;
  readonly #transportInformation: TransportConnectionInformation | undefined;
  readonly #transportName: string;
  readonly #isServer: boolean;
  readonly #options: ConnectionOptions;
  readonly #dispatcher: Dispatcher | undefined;
  readonly #dispatchSemaphore: AsyncSemaphore | undefined;

  /** Aborted by dispose: everything in progress stops with OperationAborted. */
  readonly #disposeController = new AbortController();
  #disposePromise: Promise<void> | undefined;

  #connectPromise: Promise<ConnectResult> | undefined;
  #connected = false;
  #connectionContext: ConnectionContext | undefined;
  #controlStream: MultiplexedStream | undefined;
  #remoteControlReader: BufferedStreamReader | undefined;
  #remoteControlStream: MultiplexedStream | undefined;
  #peerMaxHeaderSize = defaultMaxHeaderSize;
  #peerRefusals: PeerRequestRefusals = {};
  #headerSizeLength: VarIntWidth = 2;

  /** Set once new invocations are refused; the error they get. */
  #refusedError: IceRpcException | undefined;
  readonly #shutdownRequested = new Deferred<void>();
  #shutdownPromise: Promise<void> | undefined;
  readonly #closed = new Deferred<Error | undefined>();

  readonly #invocations = new Set<PendingInvocation>();
  /** The cancellations of the dispatches in progress. */
  readonly #dispatches = new Set<LazyAbortSignal>();
  /** Invocations, dispatches and streams with an open direction: the connection is inactive when this is 0. */
  #busy = 0;
  /** When `#busy` last dropped to 0 (performance.now()). */
  #idleSince = 0;
  #idleWaiter: Deferred<void> | undefined;
  #inactivityTimer: ReturnType<typeof setTimeout> | undefined;

  readonly #acceptController = new AbortController();
  #acceptLoop: Promise<void> | undefined;
  #lastRemoteBidirectionalStreamId: number | undefined;
  #lastRemoteUnidirectionalStreamId: number | undefined;
  readonly #peerGoAway = new Deferred<GoAway>();
  #readGoAwayTask: Promise<void> | undefined;
  readonly #backgroundTasks = new Set<Promise<unknown>>();
  /** A dispatch settled: one callback for all of them. */
  readonly #onDispatchSettled = (): void => this.#decreaseBusy();

  constructor(
    transport: MultiplexedConnection,
    init: {
      readonly isServer: boolean;
      readonly options: ConnectionOptions;
      /** The name of the transport, reported by the connection context. */
      readonly transportName: string;
      /**
       * Given when the owner already connected `transport` (a server connects it first to enforce its connection
       * limits before icerpc starts).
       */
      readonly transportInformation?: TransportConnectionInformation;
    },
  ) {
    const options = init.options;
    this.#transport = transport;
    this.#transportInformation = init.transportInformation;
    this.#transportName = init.transportName;
    this.#isServer = init.isServer;
    this.#options = options;
    this.#dispatcher = options.dispatcher;
    this.#dispatchSemaphore =
      options.dispatcher !== undefined && options.maxDispatches > 0 ? new AsyncSemaphore(options.maxDispatches) : undefined;
    // Nobody may be awaiting these; a rejection must not be reported as unhandled.
    this.#peerGoAway.promise.catch(() => {});
  }

  get closed(): Promise<Error | undefined> {
    return this.#closed.promise;
  }

  connect(signal?: AbortSignal): Promise<ConnectResult> {
    if (this.#disposeController.signal.aborted) {
      return Promise.reject(new ObjectDisposedError("protocol connection"));
    }
    if (this.#connectPromise !== undefined) {
      return Promise.reject(new InvalidOperationError("Cannot connect a protocol connection twice."));
    }
    this.#connectPromise = this.#connect(signal);
    return this.#connectPromise;
  }

  async #connect(signal: AbortSignal | undefined): Promise<ConnectResult> {
    const link = signal === undefined ? undefined : new SignalLink([signal, this.#disposeController.signal]);
    const connectSignal = link?.signal ?? this.#disposeController.signal;
    try {
      const information = this.#transportInformation ?? (await this.#transport.connect(connectSignal));
      this.#peerRefusals = peerRequestRefusals(information.peerStreamLimits);
      this.#connectionContext = {
        invoker: this,
        transportConnectionInformation: information,
        transportName: this.#transportName,
        isServer: this.#isServer,
        closed: this.#closed.promise,
      };

      // Our control stream goes first so that it gets the first unidirectional id (2 client, 3 server).
      const controlStream = await this.#transport.createStream(false, connectSignal);
      this.#controlStream = controlStream;
      controlStream.output.write(encodeSettingsFrame({ maxHeaderSize: this.#options.maxHeaderSize }));
      await controlStream.output.flush(connectSignal);

      const remoteControlStream = await this.#transport.acceptStream(connectSignal);
      if (remoteControlStream.isBidirectional) {
        throw new IceRpcException(IceRpcError.ConnectionAborted, "The peer's first stream is not its unidirectional control stream.");
      }
      this.#remoteControlStream = remoteControlStream;
      this.#remoteControlReader = new BufferedStreamReader(remoteControlStream.input);
      const settings = await this.#readControlFrame(ControlFrameType.Settings, maxSettingsBodySize, connectSignal, decodeSettingsBody);
      this.#peerMaxHeaderSize = settings.maxHeaderSize ?? defaultMaxHeaderSize;
      this.#headerSizeLength = sizeLengthFor(this.#peerMaxHeaderSize);
    } catch (error) {
      this.#controlStream?.output.abort();
      if (this.#disposeController.signal.aborted) {
        throw new IceRpcException(IceRpcError.OperationAborted, "The connection was disposed while connecting.", { cause: error });
      }
      if (signal?.aborted) {
        throw signal.reason;
      }
      if (error instanceof InvalidDataError) {
        throw new IceRpcException(IceRpcError.ConnectionAborted, `The peer sent an invalid Settings frame: ${error.message}`, { cause: error });
      }
      throw error;
    } finally {
      link?.dispose();
    }

    this.#connected = true;
    this.#readGoAwayTask = this.#readGoAway();
    if (this.#dispatcher !== undefined) {
      this.#acceptLoop = this.#acceptRequests();
    } else {
      // Without dispatcher the peer may open no request streams; still watch for the connection's loss.
      this.#acceptLoop = this.#watchTransport();
    }
    this.#checkInactive();
    return {
      transportConnectionInformation: this.#connectionContext.transportConnectionInformation,
      shutdownRequested: this.#shutdownRequested.promise,
    };
  }

  /** Reads one control frame of type `expected` whose body is at most `maxBodySize` bytes, and decodes it. */
  async #readControlFrame<T>(
    expected: ControlFrameType,
    maxBodySize: number,
    signal: AbortSignal,
    decode: (body: Uint8Array) => T,
  ): Promise<T> {
    const reader = this.#remoteControlReader!;
    const frameType = await reader.readByteOrEnd(signal);
    if (frameType === null) {
      throw new InvalidDataError(`The peer's control stream ended before its ${ControlFrameType[expected]} frame.`);
    }
    if (frameType !== expected) {
      throw new InvalidDataError(`Expected a ${ControlFrameType[expected]} frame on the control stream, received frame type ${frameType}.`);
    }
    return decode(await reader.readSizePrefixed(maxBodySize, `${ControlFrameType[expected]} frame body`, signal));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Invocation

  async invoke(request: OutgoingRequest, signal?: AbortSignal): Promise<IncomingResponse> {
    if (this.#disposeController.signal.aborted) {
      throw new ObjectDisposedError("protocol connection");
    }
    if (this.#refusedError !== undefined) {
      throw this.#refusedError;
    }
    if (!this.#connected) {
      throw new InvalidOperationError("Cannot invoke on a protocol connection before it is connected.");
    }
    signal?.throwIfAborted();
    const refusal = request.isOneway ? this.#peerRefusals.oneway : this.#peerRefusals.twoWay;
    if (refusal !== undefined) {
      throw new IceRpcException(IceRpcError.LimitExceeded, refusal);
    }
    // Encoding first checks the header against the peer's MaxHeaderSize before a stream is taken.
    const header = encodeRequestHeader(request, this.#peerMaxHeaderSize, this.#headerSizeLength);

    const invocation = new PendingInvocation();
    let payloadSent = false;
    // Followed, not listened to: a caller may pass one signal to any number of concurrent invocations.
    const onCallerAbort = signal === undefined ? undefined : (reason: unknown): void => invocation.cancel(reason);
    if (onCallerAbort !== undefined) {
      followAbort(signal!, onCallerAbort);
    }
    this.#invocations.add(invocation);
    this.#increaseBusy();
    let tracker: StreamTracker | undefined;
    try {
      let stream: MultiplexedStream;
      try {
        stream = await invocation.createStream(this.#transport, !request.isOneway, signal);
      } catch (error) {
        if (invocation.canceled || signal?.aborted) {
          throw error;
        }
        // The transport failed before anything was sent: the connection is lost and the request safe to retry.
        this.#refuseInvocations("The connection was lost.", error);
        throw new IceRpcException(IceRpcError.InvocationRefused, "The invocation was refused: the connection was lost.", { cause: error });
      }
      tracker = this.#trackStream(stream);

      const endStream = request.payloadContinuation === undefined;
      payloadSent = true;
      await sendPayload(stream, header, request.payload, endStream);
      if (endStream) {
        tracker.outputDone();
      } else {
        this.#sendContinuationInBackground(stream, request.payloadContinuation!, tracker);
      }

      if (request.isOneway) {
        return new IncomingResponse({ statusCode: StatusCode.Ok, connectionContext: this.#connectionContext });
      }

      const reader = new BufferedStreamReader(stream.input);
      const headerBytes = await reader.readSizePrefixed(this.#options.maxHeaderSize, "response header");
      const responseHeader = decodeResponseHeader(headerBytes);
      // Explicit properties, not a spread: Node 20 spends microseconds on an object spread with extra properties.
      return new IncomingResponse({
        statusCode: responseHeader.statusCode,
        errorMessage: responseHeader.errorMessage,
        fields: responseHeader.fields,
        payload: new IncomingPayload(stream.input, reader.takeRemaining(), tracker.inputDone),
        connectionContext: this.#connectionContext,
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
      this.#invocations.delete(invocation);
      this.#decreaseBusy();
    }
  }

  /**
   * Copies a request payload continuation while the invocation awaits the response, and after it returned: the
   * caller's signal no longer applies once the response arrived, but GoAway and dispose still stop the copy. A caller
   * canceling earlier aborts the stream, which stops the copy too.
   */
  #sendContinuationInBackground(stream: MultiplexedStream, continuation: AsyncIterable<Uint8Array>, tracker: StreamTracker): void {
    const continued = new PendingInvocation();
    continued.stream = stream;
    this.#invocations.add(continued);
    this.#increaseBusy();
    this.#runInBackground(
      sendContinuation(stream, continuation)
        .catch(() => stream.output.abort())
        .finally(() => {
          tracker.outputDone();
          this.#invocations.delete(continued);
          this.#decreaseBusy();
        }),
    );
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Dispatch

  async #acceptRequests(): Promise<void> {
    const signal = this.#acceptController.signal;
    for (;;) {
      let stream: MultiplexedStream;
      try {
        stream = await this.#transport.acceptStream(signal);
      } catch (error) {
        if (!signal.aborted) {
          this.#connectionLost(error);
        }
        return;
      }
      if (stream.isBidirectional) {
        this.#lastRemoteBidirectionalStreamId = stream.id;
      } else {
        this.#lastRemoteUnidirectionalStreamId = stream.id;
      }
      this.#increaseBusy();
      this.#runInBackground(this.#dispatch(stream), this.#onDispatchSettled);
    }
  }

  /** For a connection without dispatcher: the pending accept fails when the transport connection does. */
  async #watchTransport(): Promise<void> {
    try {
      const stream = await this.#transport.acceptStream(this.#acceptController.signal);
      // The peer ignored our stream limits of 0: refuse the request.
      stream.input.abort();
      if (stream.isBidirectional) {
        stream.output.abort();
      }
      this.#connectionLost(new IceRpcException(IceRpcError.IceRpcError, "The peer sent a request to a connection without dispatcher."));
    } catch (error) {
      if (!this.#acceptController.signal.aborted) {
        this.#connectionLost(error);
      }
    }
  }

  async #dispatch(stream: MultiplexedStream): Promise<void> {
    const tracker = this.#trackStream(stream);
    const reader = new BufferedStreamReader(stream.input);
    let requestHeader;
    try {
      // The header nearly always came with the stream: no promise then.
      const headerBytes =
        reader.tryReadSizePrefixed(this.#options.maxHeaderSize, "request header") ??
        (await reader.readSizePrefixed(this.#options.maxHeaderSize, "request header"));
      requestHeader = decodeRequestHeader(headerBytes);
    } catch {
      // An invalid request is refused: the peer's invocation fails (TruncatedData) and the connection stays up.
      abortStream(stream);
      tracker.inputDone();
      tracker.outputDone();
      return;
    }

    // The dispatch is canceled when the peer stops reading the response (it canceled the invocation) or on dispose.
    const cancellation = new LazyAbortSignal();
    const payload = new IncomingPayload(stream.input, reader.takeRemaining(), tracker.inputDone);
    const request = new IncomingRequest({
      path: requestHeader.path,
      operation: requestHeader.operation,
      fields: requestHeader.fields,
      isOneway: !stream.isBidirectional,
      payload,
      connectionContext: this.#connectionContext!,
      cancellation,
    });
    this.#dispatches.add(cancellation);
    let dispatching = true;
    if (stream.isBidirectional) {
      void stream.writesClosed.then(() => {
        if (dispatching) {
          cancellation.abort(new IceRpcException(IceRpcError.TruncatedData, "The caller canceled the invocation."));
        }
      });
    }

    let response: OutgoingResponse;
    try {
      if (this.#dispatchSemaphore !== undefined && !this.#dispatchSemaphore.tryAcquire()) {
        await this.#dispatchSemaphore.acquire(cancellation.signal);
      }
      try {
        response = await this.#dispatcher!.dispatch(request);
        if (!(response instanceof OutgoingResponse)) {
          throw new InvalidOperationError("The dispatcher returned something other than an OutgoingResponse.");
        }
      } catch (error) {
        response = errorToResponse(error, this.#options.sendUnexpectedErrorDetail);
        if (!(error instanceof DispatchException)) {
          reportDispatchError(this.#options.onDispatchError, error, request);
        }
      } finally {
        this.#dispatchSemaphore?.release();
      }
    } catch {
      // Canceled while waiting for a dispatch slot.
      payload.abort();
      if (stream.isBidirectional) {
        stream.output.abort();
      }
      tracker.outputDone();
      return;
    } finally {
      dispatching = false;
      this.#dispatches.delete(cancellation);
    }
    // The dispatch is over: a payload it did not read is no longer wanted.
    payload.abort();

    if (!stream.isBidirectional) {
      closeUnsentPayload(response.payload);
      closeUnsentPayload(response.payloadContinuation);
      return;
    }
    let sending: "header" | "payload" | "continuation" = "header";
    try {
      const header = encodeResponseHeader(response, this.#peerMaxHeaderSize, this.#headerSizeLength);
      const endStream = response.payloadContinuation === undefined;
      sending = "payload";
      const result = await sendPayload(stream, header, response.payload, endStream);
      sending = "continuation";
      if (!endStream && result === "flushed") {
        await sendContinuation(stream, response.payloadContinuation!);
      }
    } catch {
      // The response could not be sent whole (header too large, payload failure, connection gone): the caller
      // sees TruncatedData.
      stream.output.abort();
      if (sending === "header") {
        closeUnsentPayload(response.payload);
      }
      if (sending !== "continuation") {
        closeUnsentPayload(response.payloadContinuation);
      }
    } finally {
      tracker.outputDone();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Activity and inactivity

  #trackStream(stream: MultiplexedStream): StreamTracker {
    this.#increaseBusy();
    return new StreamTracker(stream, () => this.#decreaseBusy());
  }

  #increaseBusy(): void {
    this.#busy++;
  }

  #decreaseBusy(): void {
    if (--this.#busy === 0) {
      this.#idleSince = performance.now();
      this.#idleWaiter?.resolve();
      this.#idleWaiter = undefined;
      this.#checkInactive();
    }
  }

  /** Resolves once nothing is in progress: no invocation, dispatch, or stream with an open direction. */
  #whenIdle(): Promise<void> {
    if (this.#busy === 0) {
      return Promise.resolve();
    }
    this.#idleWaiter ??= new Deferred<void>();
    return this.#idleWaiter.promise;
  }

  /**
   * Arms the inactivity timer unless it is armed already. Going busy does not disarm it, which would cost a timer
   * per request: when it fires, it checks whether the connection was idle for the whole timeout and re-arms for the
   * rest of the period if not.
   */
  #checkInactive(): void {
    if (this.#busy !== 0 || !this.#connected || this.#refusedError !== undefined || this.#inactivityTimer !== undefined) {
      return;
    }
    const arm = (delay: number): void => {
      this.#inactivityTimer = setTimeout(() => {
        this.#inactivityTimer = undefined;
        if (this.#busy !== 0 || this.#refusedError !== undefined) {
          return; // busy again: the next return to idle re-arms
        }
        const remaining = this.#idleSince + this.#options.inactivityTimeout - performance.now();
        if (remaining > 0) {
          arm(remaining);
        } else {
          this.#refuseInvocations("The connection was shut down because it was inactive.");
        }
      }, delay);
    };
    this.#idleSince = performance.now();
    arm(this.#options.inactivityTimeout);
  }

  /** Refuses new invocations from now on and asks the owner to shut the connection down. */
  #refuseInvocations(message: string, cause?: unknown): void {
    if (this.#refusedError === undefined) {
      this.#refusedError = new IceRpcException(IceRpcError.InvocationRefused, `The invocation was refused: ${message}`, { cause });
      if (this.#inactivityTimer !== undefined) {
        clearTimeout(this.#inactivityTimer);
        this.#inactivityTimer = undefined;
      }
    }
    this.#shutdownRequested.resolve();
  }

  #connectionLost(error: unknown): void {
    this.#refuseInvocations("The connection was lost.", error);
    this.#closed.resolve(error instanceof Error ? error : new IceRpcException(IceRpcError.ConnectionAborted));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // GoAway and shutdown

  /** Waits for the peer's GoAway on its control stream; after it, only the end of the stream may come. */
  async #readGoAway(): Promise<void> {
    try {
      const goAway = await this.#readControlFrame(ControlFrameType.GoAway, maxGoAwayBodySize, this.#disposeController.signal, decodeGoAwayBody);
      this.#peerGoAway.resolve(goAway);
      this.#refuseInvocations("The peer is shutting down the connection.");
      this.#cancelInvocationsNotAccepted(goAway);
    } catch (error) {
      if (this.#disposeController.signal.aborted) {
        this.#peerGoAway.reject(new IceRpcException(IceRpcError.OperationAborted));
        return;
      }
      const failure =
        error instanceof InvalidDataError
          ? new IceRpcException(IceRpcError.IceRpcError, `The peer sent an invalid GoAway frame: ${error.message}`, { cause: error })
          : error;
      this.#peerGoAway.reject(failure);
      this.#connectionLost(failure);
    }
  }

  /** Cancels the invocations the peer says it did not and will not accept: they are safe to retry. */
  #cancelInvocationsNotAccepted(goAway: GoAway): void {
    for (const invocation of this.#invocations) {
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

  shutdown(signal?: AbortSignal): Promise<void> {
    if (this.#disposeController.signal.aborted) {
      return Promise.reject(new ObjectDisposedError("protocol connection"));
    }
    if (!this.#connected) {
      return Promise.reject(new InvalidOperationError("Cannot shut down a protocol connection that is not connected."));
    }
    if (this.#shutdownPromise !== undefined) {
      return Promise.reject(new InvalidOperationError("Cannot shut down a protocol connection twice."));
    }
    this.#shutdownPromise = this.#shutdown(signal);
    return this.#shutdownPromise;
  }

  async #shutdown(signal: AbortSignal | undefined): Promise<void> {
    const link = signal === undefined ? undefined : new SignalLink([signal, this.#disposeController.signal]);
    const shutdownSignal = link?.signal ?? this.#disposeController.signal;
    this.#refuseInvocations("The connection is shutting down.");
    // Invocations still waiting for a stream were never sent.
    for (const invocation of this.#invocations) {
      if (invocation.stream === undefined) {
        invocation.cancel(this.#refusedError);
      }
    }
    try {
      // Stop accepting requests, then tell the peer which streams we did not accept.
      this.#acceptController.abort();
      await this.#acceptLoop;
      const controlOutput = this.#controlStream!.output;
      controlOutput.write(encodeGoAwayFrame(this.#goAwayIds(), this.#headerSizeLength));
      await controlOutput.flush(shutdownSignal);

      await waitAbortable(this.#peerGoAway.promise, shutdownSignal);
      await waitAbortable(this.#whenIdle(), shutdownSignal);

      // All our streams are done: end our control stream and wait for the peer to end its own.
      await controlOutput.end(shutdownSignal);
      const trailing = await this.#remoteControlReader!.readByteOrEnd(shutdownSignal);
      if (trailing !== null) {
        throw new IceRpcException(IceRpcError.IceRpcError, "The peer sent data on its control stream after its GoAway frame.");
      }
      try {
        await this.#transport.close(MultiplexedConnectionCloseError.NoError, shutdownSignal);
      } catch (error) {
        // The peer closing first is the normal outcome of a shutdown it initiated.
        if (!(error instanceof IceRpcException && error.error === IceRpcError.ConnectionClosedByPeer)) {
          throw error;
        }
      }
      this.#closed.resolve(undefined);
    } catch (error) {
      this.#controlStream?.output.abort();
      if (signal?.aborted) {
        throw signal.reason;
      }
      if (this.#disposeController.signal.aborted) {
        throw new IceRpcException(IceRpcError.OperationAborted, "The connection was disposed while shutting down.", { cause: error });
      }
      throw error;
    } finally {
      link?.dispose();
    }
  }

  /** The first stream ids of each type this side did not accept (reference §1.4). */
  #goAwayIds(): GoAway {
    const peerInitiatorBit = this.#isServer ? 0 : 1;
    const peerControlStreamId = this.#remoteControlStream!.id;
    return {
      bidirectionalStreamId:
        this.#lastRemoteBidirectionalStreamId === undefined ? peerInitiatorBit : this.#lastRemoteBidirectionalStreamId + 4,
      unidirectionalStreamId: (this.#lastRemoteUnidirectionalStreamId ?? peerControlStreamId) + 4,
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Dispose

  dispose(): Promise<void> {
    this.#disposePromise ??= this.#dispose();
    return this.#disposePromise;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  async #dispose(): Promise<void> {
    const aborted = new IceRpcException(IceRpcError.OperationAborted, "The connection was disposed.");
    this.#refuseInvocations("The connection was disposed.");
    this.#disposeController.abort(aborted);
    this.#acceptController.abort();
    for (const invocation of this.#invocations) {
      // An invocation still waiting for its stream sent nothing: it is refused, so safe to retry elsewhere.
      invocation.cancel(invocation.stream === undefined ? this.#refusedError : aborted);
    }
    for (const dispatch of this.#dispatches) {
      dispatch.abort(aborted);
    }
    // Disposing the transport first fails the stream reads and writes that dispatchers and payload readers may still
    // be waiting on, so that the tasks below can finish.
    await this.#transport.dispose();
    await Promise.allSettled([this.#connectPromise, this.#shutdownPromise, this.#acceptLoop, this.#readGoAwayTask]);
    await Promise.allSettled(this.#backgroundTasks);
    this.#closed.resolve(aborted);
  }

  /** Keeps `task` until it settles, for dispose to wait on; `onSettled` then runs too (no `finally` promise per task). */
  #runInBackground(task: Promise<unknown>, onSettled?: () => void): void {
    this.#backgroundTasks.add(task);
    const forget = (): void => {
      this.#backgroundTasks.delete(task);
      onSettled?.();
    };
    task.then(forget, forget);
  }

  /** The transport connection information once connected. */
  get transportConnectionInformation(): TransportConnectionInformation | undefined {
    return this.#connectionContext?.transportConnectionInformation;
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
