import pg from 'pg';
import type { Logger } from 'pino';
import type { NoticeHandlers } from './database.js';

/*
 * LISTEN on a PostgreSQL server over a connection of its own (Database.listen): a pooled connection
 * cannot be used, since it is handed to other work between queries and notices arrive on it then.
 * A lost connection (server restart, network) is opened again after RETRY_MS, and `connected` runs
 * again so the listener catches up on what it could not hear.
 */

const RETRY_MS = 1_000;

export async function listenOn(
  url: string,
  channel: string,
  handlers: NoticeHandlers,
  log: Logger,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;

  const open = async (first: boolean): Promise<void> => {
    const opened = new pg.Client({ connectionString: url });
    opened.on('notification', (message) => {
      if (message.channel === channel) handlers.notice(message.payload ?? '');
    });
    const lost = (error?: Error) => {
      if (client !== opened) return;
      client = null;
      opened.end().catch(() => undefined);
      if (stopped) return;
      log.warn({ err: error, channel }, 'listening connection lost; opening it again');
      retry = setTimeout(() => {
        retry = null;
        open(false).catch(() => undefined);
      }, RETRY_MS);
    };
    opened.on('error', lost);
    opened.on('end', () => lost());
    client = opened;
    try {
      await opened.connect();
      await opened.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      // The first failure is the caller's to report; later ones keep retrying.
      if (first) stopped = true;
      lost(error as Error);
      throw error;
    }
    if (stopped) {
      await opened.end();
      return;
    }
    handlers.connected();
  };

  await open(true);
  return async () => {
    stopped = true;
    if (retry !== null) clearTimeout(retry);
    const last = client;
    client = null;
    await last?.end().catch(() => undefined);
  };
}
