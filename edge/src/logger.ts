import { type Logger, pino } from 'pino';
import type { EdgeEnv } from './env';

export type { Logger };

export function createLogger(env: Pick<EdgeEnv, 'logLevel' | 'name'>): Logger {
  // The edge name is on every line because several edges often ship logs to one place.
  return pino({ level: env.logLevel, base: { service: 'plantline-edge', edge: env.name, pid: process.pid } });
}
