/*
 * Customers, their ship-to addresses, carriers, and delivery requests with their promised dates
 * (docs/logistics.md, "Customers and delivery requests"). The logistics router mounts the routers;
 * shipping keeps requests' statuses with refreshRequestStatus and links tracking numbers with
 * trackingLink; the demo seed records its customers and requests with the plain functions.
 */
export { addAddress } from './addresses.js';
export { createCarrier } from './carriers.js';
export { carriersRouter } from './carriers.router.js';
export { trackingLink } from './customer-rules.js';
export { createCustomer } from './customers.js';
export { customersRouter } from './customers.router.js';
export { promiseDate } from './promises.js';
export { refreshRequestStatus } from './request-status.js';
export { createRequest } from './requests.js';
export { requestsRouter } from './requests.router.js';
