import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// The timeouts of connect, shutdown and the Server must survive a garbage collection: Node 20 holds
// `AbortSignal.timeout` signals weakly, so that one combined with `AbortSignal.any` never fires after a collection
// (nodejs/node#57736), and the operation it bounds hangs. The tests of those timeouts collect while they wait.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/**
 * Runs a full garbage collection once the current job is over: until then, V8 keeps alive every object a `WeakRef`
 * was made for or dereferenced during the job, so a collection right away would find nothing to take.
 */
export async function collectGarbage(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}
