type Callback = () => void;

const nodeSetImmediate = (globalThis as { setImmediate?: (callback: Callback) => unknown }).setImmediate;

/**
 * Runs `callback` in a later task, after the current one and its microtasks: what a burst of events produces (stream
 * releases, say) is gathered into one message. Node's `setImmediate` is not clamped like `setTimeout(0)` is.
 */
export const runInNextTask: (callback: Callback) => void =
  nodeSetImmediate !== undefined ? (callback) => void nodeSetImmediate(callback) : (callback) => void setTimeout(callback, 0);
