type Callback = () => void;

const nodeSetImmediate = (globalThis as { setImmediate?: (callback: Callback) => unknown }).setImmediate;

/**
 * Runs `callback` as a macrotask, after the microtasks of the current task: everything the application does in
 * reaction to one event (its promise continuations included) happens before, so the frames it produces leave in
 * one channel write. Node has `setImmediate`; browsers get a `MessageChannel` task, which, unlike `setTimeout(0)`,
 * is not clamped to 4 ms.
 */
export const runSoon: (callback: Callback) => void =
  nodeSetImmediate !== undefined ? (callback) => void nodeSetImmediate(callback) : messageChannelScheduler();

function messageChannelScheduler(): (callback: Callback) => void {
  const pending: Callback[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    for (const callback of pending.splice(0)) {
      callback();
    }
  };
  return (callback) => {
    if (pending.push(callback) === 1) {
      channel.port2.postMessage(undefined);
    }
  };
}
