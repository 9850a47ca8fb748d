/**
 * Sends a message to the other end of a memory connection: `deliver` runs there in a later microtask, after every
 * message this end sent before it. The message is lost, as on a network, when either end has failed (closed, lost
 * or disposed) by the time it is sent or delivered.
 */
export type SendToPeer = (deliver: () => void) => void;
