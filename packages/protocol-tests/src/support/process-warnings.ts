import { runInThisContext } from "node:vm";

/**
 * Collects the messages of the warnings of one kind (e.g. "MaxListenersExceededWarning") that Node emits from now
 * until `stop`. Jest gives each test file a copy of `process` that Node's own warnings never reach: this listens on
 * the real one (whose warnings come from another realm, hence messages rather than the objects).
 */
export function collectProcessWarnings(name: string): { readonly messages: readonly string[]; stop(): void } {
  const realProcess = runInThisContext("process") as NodeJS.Process;
  const messages: string[] = [];
  const onWarning = (warning: Error): void => {
    if (warning.name === name) {
      messages.push(warning.message);
    }
  };
  realProcess.on("warning", onWarning);
  return { messages, stop: () => realProcess.off("warning", onWarning) };
}
