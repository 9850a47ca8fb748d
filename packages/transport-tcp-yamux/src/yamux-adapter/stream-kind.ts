/**
 * The first byte of every data stream: what kind of stream it is. The acceptor reads it before it hands the stream
 * to the application, since yamux streams are all bidirectional.
 */
export enum StreamKind {
  Bidirectional = 0,
  Unidirectional = 1,
}
