export { ServerAddress, type ServerAddressInit } from "./server-address.js";
export { ServiceAddress, type ServiceAddressInit } from "./service-address.js";
