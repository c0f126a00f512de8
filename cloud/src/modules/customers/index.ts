/*
 * Customers, their ship-to addresses, carriers, and delivery requests with their promised dates
 * (docs/logistics.md, "Customers and delivery requests"). The logistics router mounts the routers;
 * shipping keeps requests' statuses with refreshRequestStatus and links tracking numbers with
 * trackingLink.
 */
export { carriersRouter } from './carriers.router.js';
export { trackingLink } from './customer-rules.js';
export { customersRouter } from './customers.router.js';
export { refreshRequestStatus } from './request-status.js';
export { requestsRouter } from './requests.router.js';
