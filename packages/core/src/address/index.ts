export { icerpcDefaultPort, ServerAddress, type ServerAddressInit } from "./server-address.js";
export { ServiceAddress, type ServiceAddressInit } from "./service-address.js";
export { isValidPath } from "./uri-syntax.js";
