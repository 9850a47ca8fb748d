import { IceRpcError, IceRpcException } from "@icerpc-ts/core";
import {
  MultiplexedConnectionCloseError,
  type MultiplexedConnectionOptions,
  type StreamLimits,
  type TransportConnectionInformation,
} from "@icerpc-ts/core/transport";
import { BufferedStreamReader, type EstablishedChannel } from "@icerpc-ts/core/transport-helpers";
import { waitAbortable } from "@icerpc-ts/primitives";
import { type YamuxRole, YamuxSession, type YamuxSessionOptions, type YamuxStream } from "@icerpc-ts/yamux";

import {
  adapterProtocolVersion,
  ControlMessageType,
  encodeControlMessage,
  readControlMessage,
} from "./control-message.js";
import { adapterProtocolError } from "./protocol-error.js";

/** What a successful handshake leaves: a session with both control streams up, and the peer's limits. */
export interface ConnectedSession {
  readonly session: YamuxSession;
  readonly information: TransportConnectionInformation;
  /** This side's control stream. */
  readonly control: YamuxStream;
  /** Reads the peer's control stream. */
  readonly peerControl: BufferedStreamReader;
  /** What the peer's Settings allow. */
  readonly peerStreamLimits: StreamLimits;
}

export interface HandshakeParameters {
  /** The byte channel the connection's source opened. */
  readonly established: EstablishedChannel;
  readonly role: YamuxRole;
  readonly options: MultiplexedConnectionOptions;
  readonly sessionOptions: YamuxSessionOptions;
  /** Aborts the handshake (timeout, caller, disposal). */
  readonly signal: AbortSignal;
  /** Receives the session as soon as it exists, so that the connection can end it whatever happens next. */
  readonly sessionStarted: (session: YamuxSession) => void;
}

/**
 * The connection handshake: start a yamux session over the byte channel, open this side's control
 * stream and send Settings, accept the peer's control stream (the first stream it opens) and read its Settings.
 * Rejects with the session's error, the adapter's protocol error for bad Settings, `ConnectionRefused` for a peer
 * of another protocol version (after telling it with Close(Refused)), and `signal.reason` when `signal` aborts.
 */
export async function adapterHandshake(parameters: HandshakeParameters): Promise<ConnectedSession> {
  const { options, signal } = parameters;
  const { channel, information } = parameters.established;
  const session = new YamuxSession(channel, parameters.role, parameters.sessionOptions);
  parameters.sessionStarted(session);

  const control = await session.openStream(signal);
  void control.write(encodeControlMessage({
    type: ControlMessageType.Settings,
    version: adapterProtocolVersion,
    maxBidirectionalStreams: options.maxBidirectionalStreams,
    maxUnidirectionalStreams: options.maxUnidirectionalStreams,
  }));
  const peerControl = new BufferedStreamReader(await session.acceptStream(signal));
  const first = await readControlMessage(peerControl, signal);
  if (first.type !== ControlMessageType.Settings) {
    throw adapterProtocolError(`the peer's first control message is ${ControlMessageType[first.type]}, not Settings.`);
  }
  if (first.version !== adapterProtocolVersion) {
    await waitAbortable(
      control.write(
        encodeControlMessage({ type: ControlMessageType.Close, applicationErrorCode: MultiplexedConnectionCloseError.Refused }),
      ),
      signal,
    );
    throw new IceRpcException(
      IceRpcError.ConnectionRefused,
      `The peer speaks version ${first.version} of the yamux adapter protocol; this side speaks only version ` +
        `${adapterProtocolVersion}.`,
    );
  }
  const peerStreamLimits: StreamLimits = {
    maxBidirectionalStreams: first.maxBidirectionalStreams,
    maxUnidirectionalStreams: first.maxUnidirectionalStreams,
  };
  return { session, information: { ...information, peerStreamLimits }, peerStreamLimits, control, peerControl };
}
