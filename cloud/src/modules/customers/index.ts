/*
 * Customers, their ship-to addresses and carriers (docs/logistics.md, "Customers and delivery
 * requests"). The logistics router mounts the routers; shipping links tracking numbers with
 * trackingLink.
 */
export { carriersRouter } from './carriers.router.js';
export { trackingLink } from './customer-rules.js';
export { customersRouter } from './customers.router.js';
