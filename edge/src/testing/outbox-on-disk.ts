import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventEnvelope } from '@plantline/schema';
import { decodeRecord } from '../outbox/framing';

/** Every intact event in an outbox folder, read straight from the files (what survives a crash). */
export async function eventsOnDisk(dir: string): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  const names = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.log')).sort();
  for (const name of names) {
    const data = await readFile(join(dir, name));
    for (let offset = 0; ; ) {
      const decoded = decodeRecord(data, offset);
      if (decoded.kind !== 'record') break;
      events.push(JSON.parse(decoded.record.body.toString('utf8')) as EventEnvelope);
      offset += decoded.record.size;
    }
  }
  return events;
}

export async function deadLettersOnDisk(
  dataDir: string,
): Promise<{ topic: string; reason: string; payload: string }[]> {
  const text = await readFile(join(dataDir, 'dead-letters.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { topic: string; reason: string; payload: string });
}
