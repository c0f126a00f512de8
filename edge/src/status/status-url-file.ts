import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Unit } from '../unit';

// The status port can move (listenOnFreePort), so the CLI cannot rely on the configured one; the running
// edge leaves its actual URL in its data dir for it.
export function statusUrlFilePath(dataDir: string): string {
  return join(dataDir, 'status-url');
}

export async function readStatusUrl(dataDir: string): Promise<string | undefined> {
  try {
    return (await readFile(statusUrlFilePath(dataDir), 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

export class StatusUrlFile implements Unit {
  readonly name = 'status-url-file';

  constructor(private readonly options: { dataDir: string; getStatusUrl: () => string }) {}

  async start(): Promise<void> {
    await writeFile(statusUrlFilePath(this.options.dataDir), `${this.options.getStatusUrl()}\n`);
  }

  async stop(): Promise<void> {
    await rm(statusUrlFilePath(this.options.dataDir), { force: true });
  }
}
