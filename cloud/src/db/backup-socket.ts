import { chmodSync, createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { BackupError } from './backup-archive.js';

/**
 * How `pnpm db:backup` reaches a running cloud, which holds the embedded engine's files: a Unix
 * socket in a folder of the data folder that only the cloud's user may enter. The folder's
 * permission is the authority, so there is no token to keep and nothing reachable from the network,
 * whatever HOST the cloud listens on (docs/operations.md, "Backups and upgrades").
 */
export function adminSocketPath(dataDir: string): string {
  return join(dataDir, 'admin', 'cloud.sock');
}

/** Linux keeps at most 107 bytes of a socket's path (unix(7), sun_path). */
const MAX_SOCKET_PATH = 107;

export class BackupSocket {
  private server: Server | null = null;

  constructor(
    private readonly options: {
      dataDir: string;
      /** The backup file's bytes, made by the caller. */
      backup: () => Promise<Buffer>;
      log: Logger;
    },
  ) {}

  async start(): Promise<void> {
    const { dataDir, log } = this.options;
    const path = adminSocketPath(dataDir);
    if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
      log.warn({ path }, 'data folder path too long for the admin socket: stop the cloud to back it up');
      return;
    }
    try {
      await this.listen(path);
    } catch (error) {
      // The cloud runs on without it; db:backup then says it cannot reach the cloud.
      log.warn({ err: error, path }, 'admin socket not opened: stop the cloud to back it up');
    }
  }

  private async listen(path: string): Promise<void> {
    const log = this.options.log;
    const folder = join(this.options.dataDir, 'admin');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    chmodSync(folder, 0o700);
    // The cloud holds the data folder's lock, so a socket left here is a dead process's.
    rmSync(path, { force: true });
    const server = createServer((req, res) => {
      if (req.method !== 'POST' || req.url !== '/backup') {
        res.writeHead(404).end();
        return;
      }
      const started = Date.now();
      this.options.backup().then(
        (archive) => {
          log.info({ bytes: archive.length, ms: Date.now() - started }, 'backup taken');
          res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': archive.length });
          res.end(archive);
        },
        (error: unknown) => {
          log.error({ err: error }, 'backup failed');
          res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(adminSocketPath(this.options.dataDir), { force: true });
  }
}

/** Asks the cloud that holds `dataDir` for a backup and writes it to `target`; returns its size. */
export async function requestBackup(dataDir: string, holder: number, target: string): Promise<number> {
  const path = adminSocketPath(dataDir);
  const unreachable = (why: string) =>
    new BackupError(
      `Process ${holder} holds ${dataDir} but its admin socket ${path} ${why}. ` +
        'Is it a Plantline cloud of this version? Stop it and run db:backup again.',
    );
  try {
    statSync(path);
  } catch {
    throw unreachable('does not exist');
  }
  return new Promise<number>((resolve, reject) => {
    const req = request({ socketPath: path, path: '/backup', method: 'POST' }, (res) => {
      if (res.statusCode !== 200) {
        let message = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          message += chunk;
        });
        res.on('end', () =>
          reject(new BackupError(`The running cloud could not take the backup: ${message}`)),
        );
        return;
      }
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      pipeline(res, createWriteStream(target)).then(() => resolve(size), reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EACCES'
          ? unreachable('is not open to this user')
          : unreachable(`refused (${error.code})`),
      ),
    );
    req.end();
  });
}
