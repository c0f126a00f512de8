import { z } from 'zod';

/** The `broker` section of /status. */
export const brokerStatusSchema = z.object({
  mode: z.enum(['embedded', 'client']),
  /** Embedded: where devices connect (mqtt://host:port). Client: the plant broker. */
  url: z.string().nullable(),
  /** Client mode: connected to the plant broker. Embedded: listening. */
  connected: z.boolean(),
  /** Embedded mode only; a plant broker does not tell its clients who else is connected. */
  connectedDevices: z.number().nullable(),
  deviceIds: z.array(z.string()).nullable(),
  lastError: z.string().nullable(),
});
export type BrokerStatus = z.infer<typeof brokerStatusSchema>;
