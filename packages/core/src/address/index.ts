export {
  formatServerAddress,
  icerpcDefaultPort,
  parseServerAddress,
  serverAddressEquals,
  type ServerAddress,
} from "./server-address.js";
export { ServiceAddress } from "./service-address.js";
export { isValidPath } from "./uri-syntax.js";
