export { IceRpcError, IceRpcException, isIceRpcException } from "./ice-rpc-error.js";
export { InvalidDataError, InvalidOperationError, ObjectDisposedError } from "./usage-errors.js";
