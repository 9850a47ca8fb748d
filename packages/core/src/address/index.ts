export { formatServerAddress, parseServerAddress, type ServerAddress } from "./server-address.js";
export { ServiceAddress } from "./service-address.js";
