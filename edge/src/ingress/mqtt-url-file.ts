import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Unit } from '../unit';

// Like the status URL: the embedded broker's port can move (next free one), so the running edge leaves
// the URL devices should use in its data dir, where the simulator finds it.
export function mqttUrlFilePath(dataDir: string): string {
  return join(dataDir, 'mqtt-url');
}

export async function readMqttUrl(dataDir: string): Promise<string | undefined> {
  try {
    return (await readFile(mqttUrlFilePath(dataDir), 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

export class MqttUrlFile implements Unit {
  readonly name = 'mqtt-url-file';

  constructor(private readonly options: { dataDir: string; getMqttUrl: () => string | null }) {}

  async start(): Promise<void> {
    const url = this.options.getMqttUrl();
    if (url) await writeFile(mqttUrlFilePath(this.options.dataDir), `${url}\n`);
  }

  async stop(): Promise<void> {
    await rm(mqttUrlFilePath(this.options.dataDir), { force: true });
  }
}
