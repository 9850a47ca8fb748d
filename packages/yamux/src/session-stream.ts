import { Deferred, Fifo, abortable } from "@icerpc-ts/primitives";

import { Flag, FrameType, initialStreamWindow, maxUint32 } from "./frame.js";
import type { OutputBuilder } from "./output-builder.js";
import { ReceiveWindow } from "./receive-window.js";
import type { WindowGrowth } from "./window-growth.js";
import { protocolError, YamuxError, YamuxErrorCode } from "./yamux-error.js";
import type { RemoteClose, YamuxStream } from "./yamux-stream.js";

/**
 * Returns `promise` after attaching a no-op handler, so that its rejection is never reported as unhandled: writes
 * and ends are often fired without awaiting (to queue several in one task), and their failure shows in the
 * stream's reads and the session's `closed` anyway. Awaiting the promise still sees the rejection.
 */
function markHandled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

function ignore(): void {}

/** What a stream needs from its session. */
export interface StreamHost {
  readonly maxFrameSize: number;
  readonly maxStreamWindowSize: number;
  readonly windowGrowth: WindowGrowth;
  /** The stream has frames to emit: emit them at the next flush. */
  markReady(stream: SessionStream): void;
  /** The stream is done (FIN both ways, or a RST): forget it and free what it holds. */
  removeStream(stream: SessionStream): void;
}

interface PendingWrite {
  readonly data: Uint8Array;
  /** How many bytes of `data` were emitted already. */
  sent: number;
  resolve(): void;
  reject(reason: unknown): void;
}

interface PendingRead {
  resolve(value: Uint8Array | null): void;
  reject(reason: unknown): void;
}

/**
 * A stream as its session sees it: the application-facing {@link YamuxStream} plus what the session calls when
 * frames arrive (`dataHeader`, `payload`, `windowUpdate`, `receiveFin`, `receiveReset`) and when the writer
 * flushes (`emit`).
 */
export class SessionStream implements YamuxStream {
  readonly id: number;
  readonly isLocal: boolean;

  /** Set by the writer while the stream is in its queue of streams to emit. */
  queuedForEmit = false;
  /** A local stream whose SYN the peer has not acknowledged yet; it holds one of the session's open slots. */
  awaitingAck: boolean;

  readonly #host: StreamHost;
  readonly #remoteClosed = new Deferred<RemoteClose>();
  readonly #closed = new Deferred<void>();

  // Sending.
  /** SYN (local stream, not announced yet) or ACK (accepted stream, not acknowledged yet), sent on the next frame. */
  #openFlag: number;
  #sendCredit = initialStreamWindow;
  /** The write whose bytes are being sent, then the writes queued after it. */
  #sending: PendingWrite | undefined;
  readonly #writes = new Fifo<PendingWrite>();
  #unsentBytes = 0;
  /** "ending": `end` was called and FIN leaves after the unsent bytes. */
  #sendState: "open" | "ending" | "finSent" = "open";
  #endDeferred: Deferred<void> | undefined;
  /** "pending": `reset` was called and the RST is still to be emitted. */
  #localReset: "none" | "pending" | "sent" = "none";
  /** Credit for the peer, to send in the next WindowUpdate. */
  #grant = 0;

  // Receiving.
  readonly #window: ReceiveWindow;
  readonly #chunks = new Fifo<Uint8Array>();
  #bufferedBytes = 0;
  #reader: PendingRead | undefined;
  #finReceived = false;
  #resetReceived = false;
  /** The session's error, once it ended. */
  #sessionError: YamuxError | undefined;

  constructor(host: StreamHost, id: number, isLocal: boolean) {
    this.#host = host;
    this.id = id;
    this.isLocal = isLocal;
    this.awaitingAck = isLocal;
    this.#openFlag = isLocal ? Flag.Syn : 0;
    this.#window = new ReceiveWindow(host.maxStreamWindowSize, host.windowGrowth);
  }

  get remoteClosed(): Promise<RemoteClose> {
    return this.#remoteClosed.promise;
  }

  get closed(): Promise<void> {
    return this.#closed.promise;
  }

  get bufferedBytes(): number {
    return this.#bufferedBytes;
  }

  get receiveWindow(): number {
    return this.#window.size;
  }

  get sendCredit(): number {
    return this.#sendCredit;
  }

  // --- The application's side ---------------------------------------------------------------------------------

  read(signal?: AbortSignal): Promise<Uint8Array | null> {
    if (this.#reader !== undefined) {
      return Promise.reject(new YamuxError(YamuxErrorCode.UsageError, `Cannot read yamux stream ${this.id}: a read is pending.`));
    }
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    const ready = this.tryRead();
    if (ready !== undefined) {
      return Promise.resolve(ready);
    }
    const error = this.#readError();
    if (error !== undefined) {
      return Promise.reject(error);
    }
    this.#queueGrant();
    return abortable<Uint8Array | null>(
      signal,
      (resolve, reject) => {
        this.#reader = { resolve, reject };
      },
      () => {
        this.#reader = undefined;
      },
    );
  }

  tryRead(): Uint8Array | null | undefined {
    if (this.#reader !== undefined) {
      return undefined;
    }
    const chunk = this.#chunks.shift();
    if (chunk !== undefined) {
      this.#consumed(chunk.length);
      return chunk;
    }
    return this.#finReceived && this.#localReset === "none" ? null : undefined;
  }

  write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    const error = this.#writeError();
    if (error !== undefined) {
      return markHandled(Promise.reject(error));
    }
    if (data.length === 0) {
      return Promise.resolve();
    }
    let pending: PendingWrite | undefined;
    return markHandled(abortable<void>(
      signal,
      (resolve, reject) => {
        pending = { data, sent: 0, resolve, reject };
        this.#queueWrite(pending);
      },
      () => this.#withdraw(pending!),
    ));
  }

  end(data?: Uint8Array): Promise<void> {
    const error = this.#writeError();
    if (error !== undefined) {
      return markHandled(Promise.reject(error));
    }
    if (data !== undefined && data.length > 0) {
      // No promise of its own: the end's promise settles after these bytes, and fails if they do.
      this.#queueWrite({ data, sent: 0, resolve: ignore, reject: ignore });
    }
    this.#sendState = "ending";
    this.#endDeferred = new Deferred<void>();
    this.#host.markReady(this);
    return markHandled(this.#endDeferred.promise);
  }

  #queueWrite(write: PendingWrite): void {
    this.#writes.push(write);
    this.#unsentBytes += write.data.length;
    if (this.#sendCredit > 0) {
      this.#host.markReady(this);
    }
  }

  withdrawWrites(reason: unknown): void {
    if (this.#localReset !== "none" || this.#resetReceived || this.#sessionError !== undefined) {
      return; // the writes failed already
    }
    this.#failWrites(reason);
    if (this.#sendState === "ending") {
      this.#host.markReady(this); // the FIN was waiting for these bytes only
    }
  }

  reset(): void {
    if (this.#localReset !== "none" || this.#resetReceived || this.#sessionError !== undefined) {
      return;
    }
    if (this.#sendState === "finSent" && this.#finReceived) {
      return;
    }
    this.#localReset = "pending";
    const error = new YamuxError(YamuxErrorCode.LocalReset, `Yamux stream ${this.id} was reset.`);
    this.#failWrites(error);
    this.#failReads(error);
    this.#remoteClosed.resolve("aborted");
    this.#host.markReady(this);
    this.#remove();
  }

  // --- The session's side: frames received ---------------------------------------------------------------------

  /** The application accepted this remote stream: acknowledge it (ACK) on the next frame. */
  accepted(): void {
    if (!this.#resetReceived && this.#sessionError === undefined && this.#localReset === "none") {
      this.#openFlag = Flag.Ack;
      this.#host.markReady(this);
    }
  }

  /** A Data frame header for this stream: checks it against the FIN and the window. */
  dataHeader(length: number): void {
    if (length === 0) {
      return;
    }
    if (this.#finReceived) {
      throw protocolError(`received ${length} bytes on stream ${this.id} after its FIN.`);
    }
    if (!this.#window.receive(length)) {
      throw protocolError(
        `received a ${length}-byte Data frame on stream ${this.id}, beyond its receive window ` +
          `(${this.#window.credit} bytes of credit left).`,
      );
    }
  }

  /** A piece of Data payload for this stream. */
  payload(bytes: Uint8Array): void {
    if (this.#localReset !== "none") {
      return; // a reset stream discards what was in flight
    }
    // A small view would keep alive the whole chunk it was cut from (up to 64 KiB for a socket read): copy it, so
    // that the memory a stream holds stays within 4 times its unread bytes.
    const chunk = bytes.length * 4 < bytes.buffer.byteLength ? new Uint8Array(bytes) : bytes;
    this.#bufferedBytes += chunk.length;
    const reader = this.#reader;
    if (reader !== undefined) {
      this.#reader = undefined;
      this.#consumed(chunk.length);
      reader.resolve(chunk);
    } else {
      this.#chunks.push(chunk);
    }
  }

  /** A WindowUpdate for this stream: more credit to send. */
  windowUpdate(delta: number): void {
    if (delta === 0) {
      return;
    }
    const credit = this.#sendCredit + delta;
    if (credit > maxUint32) {
      throw protocolError(`a WindowUpdate of ${delta} on stream ${this.id} overflows its window past 2^32 - 1.`);
    }
    this.#sendCredit = credit;
    if (this.#unsentBytes > 0) {
      this.#host.markReady(this);
    }
  }

  receiveFin(): void {
    if (this.#finReceived) {
      throw protocolError(`received a second FIN on stream ${this.id}.`);
    }
    this.#finReceived = true;
    this.#remoteClosed.resolve("fin");
    const reader = this.#reader;
    if (reader !== undefined) {
      this.#reader = undefined;
      reader.resolve(null);
    }
    if (this.#sendState === "finSent") {
      this.#remove();
    }
  }

  receiveReset(): void {
    if (this.#localReset !== "none") {
      return;
    }
    this.#resetReceived = true;
    const error = new YamuxError(YamuxErrorCode.RemoteReset, `The peer reset yamux stream ${this.id}.`);
    this.#failWrites(error);
    if (!this.#finReceived) {
      // After a FIN the peer's data is complete: it stays readable, the RST only stops this side's writes.
      this.#failReads(error);
    }
    this.#remoteClosed.resolve("reset");
    this.#remove();
  }

  /** The session ended with `error`: fail what is pending. A stream whose peer sent FIN stays readable. */
  sessionEnded(error: YamuxError): void {
    if (this.#sessionError !== undefined) {
      return;
    }
    this.#sessionError = error;
    this.#failWrites(error);
    if (!this.#finReceived) {
      this.#failReads(error);
    }
    this.#remoteClosed.resolve("aborted");
    this.#closed.resolve();
  }

  // --- The session's side: frames sent -------------------------------------------------------------------------

  /**
   * Appends this stream's pending frames to `out`: at most one Data frame of at most `budget` payload bytes, then
   * a WindowUpdate when there is credit to grant or a flag to send without data, then the FIN once every byte is
   * out. Returns true when the stream could send more data right away, so the writer queues it again (round-robin
   * between streams).
   */
  emit(out: OutputBuilder, budget: number): boolean {
    if (this.#resetReceived || this.#sessionError !== undefined || this.#localReset === "sent") {
      return false;
    }
    if (this.#localReset === "pending") {
      // A stream whose SYN never left does not exist for the peer: it needs no RST.
      if (this.#openFlag !== Flag.Syn) {
        out.header(FrameType.WindowUpdate, this.#openFlag | Flag.Rst, this.id, 0);
      }
      this.#localReset = "sent";
      return false;
    }
    let flags = this.#openFlag;
    this.#openFlag = 0;
    if (this.#unsentBytes > 0 && this.#sendCredit > 0 && budget > 0) {
      const size = Math.min(this.#unsentBytes, this.#sendCredit, this.#host.maxFrameSize, budget);
      out.header(FrameType.Data, flags, this.id, size);
      this.#emitPayload(out, size);
      this.#sendCredit -= size;
      flags = 0;
    }
    const fin = this.#sendState === "ending" && this.#unsentBytes === 0;
    if (this.#grant > 0 || (flags !== 0 && !fin)) {
      out.header(FrameType.WindowUpdate, flags, this.id, this.#grant);
      this.#grant = 0;
      flags = 0;
    }
    if (fin) {
      // The FIN never rides on a Data frame, as hashicorp/yamux sends it: that implementation applies a frame's
      // flags before it stores the payload, so a reader running in between would see the end without the last
      // bytes. Right behind them in the same write, it costs a header and no system call.
      out.header(FrameType.WindowUpdate, flags | Flag.Fin, this.id, 0);
      this.#finSent();
    }
    return this.#unsentBytes > 0 && this.#sendCredit > 0;
  }

  // --- Internals -----------------------------------------------------------------------------------------------

  #emitPayload(out: OutputBuilder, size: number): void {
    this.#unsentBytes -= size;
    let remaining = size;
    while (remaining > 0) {
      const write = this.#sending ?? this.#writes.shift()!;
      const available = write.data.length - write.sent;
      const taken = Math.min(available, remaining);
      out.payload(
        taken === write.data.length ? write.data : write.data.subarray(write.sent, write.sent + taken),
      );
      write.sent += taken;
      remaining -= taken;
      if (taken === available) {
        this.#sending = undefined;
        write.resolve();
      } else {
        this.#sending = write;
      }
    }
  }

  #finSent(): void {
    this.#sendState = "finSent";
    this.#endDeferred!.resolve();
    if (this.#finReceived) {
      this.#remove();
    }
  }

  /** The application took `size` bytes: grant the peer credit for them once half the window is free. */
  #consumed(size: number): void {
    this.#bufferedBytes -= size;
    this.#queueGrant();
  }

  #queueGrant(): void {
    if (this.#finReceived || this.#localReset !== "none" || this.#sessionError !== undefined) {
      return; // no more data can come: credit would be pointless
    }
    const delta = this.#window.grant(this.#bufferedBytes);
    if (delta > 0) {
      this.#grant += delta;
      this.#host.markReady(this);
    }
  }

  /** An aborted write gives up its unsent bytes; the bytes already emitted stay sent. */
  #withdraw(write: PendingWrite): void {
    const unsent = write.data.length - write.sent;
    if (unsent === 0) {
      return;
    }
    this.#unsentBytes -= unsent;
    if (write === this.#sending) {
      this.#sending = undefined; // it ends where it stopped
    } else {
      this.#writes.remove(write);
    }
    if (this.#sendState === "ending" && this.#unsentBytes === 0) {
      this.#host.markReady(this); // the FIN was waiting for these bytes only
    }
  }

  #writeError(): Error | undefined {
    if (this.#sendState !== "open") {
      return new YamuxError(
        YamuxErrorCode.UsageError,
        `Cannot write to yamux stream ${this.id}: its end was already sent.`,
      );
    }
    return this.#readError();
  }

  /** Why reads fail, when they do; reads of data completed by a FIN never fail (they are checked first). */
  #readError(): Error | undefined {
    return this.#localReset !== "none"
      ? new YamuxError(YamuxErrorCode.LocalReset, `Yamux stream ${this.id} was reset.`)
      : this.#resetReceived
        ? new YamuxError(YamuxErrorCode.RemoteReset, `The peer reset yamux stream ${this.id}.`)
        : this.#sessionError;
  }

  #failWrites(error: unknown): void {
    this.#sending?.reject(error);
    this.#sending = undefined;
    for (const write of this.#writes.drain()) {
      write.reject(error);
    }
    this.#unsentBytes = 0;
    if (this.#endDeferred !== undefined && !this.#endDeferred.settled) {
      this.#endDeferred.reject(error);
    }
  }

  #failReads(error: unknown): void {
    this.#chunks.drain();
    this.#bufferedBytes = 0;
    const reader = this.#reader;
    if (reader !== undefined) {
      this.#reader = undefined;
      reader.reject(error);
    }
  }

  #remove(): void {
    this.#host.removeStream(this);
    this.#closed.resolve();
  }
}
