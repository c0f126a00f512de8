import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { z } from 'zod';

/**
 * The file `pnpm db:backup` writes: a gzip-compressed tar (so `tar -tzf` lists it) of two entries,
 * `plantline-backup.json` first, saying what the file is, and `pgdata.tar`, the embedded engine's
 * files as the engine dumps them (docs/operations.md, "Backups and upgrades").
 */
export const MANIFEST_ENTRY = 'plantline-backup.json';
export const FILES_ENTRY = 'pgdata.tar';

const manifestSchema = z.object({
  format: z.literal('plantline-embedded-backup'),
  formatVersion: z.literal(1),
  createdAt: z.iso.datetime(),
  plantlineVersion: z.string(),
  /** The last migration the database holds; null for a database never migrated. */
  migration: z
    .object({ tag: z.string().nullable(), hash: z.string(), createdAt: z.number().int() })
    .nullable(),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

/** A refusal the command line prints as it is, without a stack: bad input, not a fault. */
export class BackupError extends Error {}

export async function writeBackupArchive(manifest: BackupManifest, files: Uint8Array): Promise<Buffer> {
  const tar = packTar([
    { name: MANIFEST_ENTRY, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: FILES_ENTRY, data: files },
  ]);
  return promisify(gzip)(tar);
}

/** Reads and checks a backup file's bytes; refuses anything but a Plantline embedded backup. */
export async function readBackupArchive(
  bytes: Uint8Array,
  what: string,
): Promise<{ manifest: BackupManifest; files: Uint8Array }> {
  const refuse = (why: string) => new BackupError(`${what} is not a Plantline embedded backup: ${why}.`);
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw refuse('it is not gzip-compressed');
  let tar: Buffer;
  try {
    tar = await promisify(gunzip)(bytes);
  } catch {
    throw refuse('its compressed data is damaged or cut short');
  }
  const entries = unpackTar(tar);
  if (entries === null) throw refuse('it is not a tar archive, or it is cut short');
  const [first, second] = entries;
  if (first?.name !== MANIFEST_ENTRY || second?.name !== FILES_ENTRY) {
    throw refuse(`it does not start with ${MANIFEST_ENTRY} and ${FILES_ENTRY}`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(Buffer.from(first.data).toString('utf8'));
  } catch {
    throw refuse(`${MANIFEST_ENTRY} is not JSON`);
  }
  const parsed = manifestSchema.safeParse(manifest);
  if (!parsed.success)
    throw refuse(`${MANIFEST_ENTRY} does not describe one (${parsed.error.issues[0]?.message})`);
  return { manifest: parsed.data, files: second.data };
}

interface TarEntry {
  name: string;
  data: Uint8Array;
}

const BLOCK = 512;

/** A POSIX ustar archive of regular files (IEEE Std 1003.1, "pax", ustar interchange format). */
function packTar(entries: TarEntry[]): Buffer {
  const parts: Uint8Array[] = [];
  const mtime = Math.floor(Date.now() / 1000);
  for (const entry of entries) {
    const header = Buffer.alloc(BLOCK);
    header.write(entry.name, 0, 100, 'utf8');
    header.write('0000644\0', 100, 'ascii');
    header.write('0000000\0', 108, 'ascii');
    header.write('0000000\0', 116, 'ascii');
    header.write(`${entry.data.length.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
    header.write(`${mtime.toString(8).padStart(11, '0')}\0`, 136, 'ascii');
    header.write('        ', 148, 'ascii');
    header.write('0', 156, 'ascii');
    header.write('ustar\0' + '00', 257, 'ascii');
    header.write(`${checksum(header).toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    parts.push(header, entry.data, Buffer.alloc(padding(entry.data.length)));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

/** The entries of a ustar archive, or null when the bytes are not one or are cut short. */
function unpackTar(tar: Buffer): TarEntry[] | null {
  const entries: TarEntry[] = [];
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return entries;
    if (header.toString('ascii', 257, 262) !== 'ustar') return null;
    const stored = Number.parseInt(header.toString('ascii', 148, 156).trim(), 8);
    if (stored !== checksum(header)) return null;
    const size = Number.parseInt(header.toString('ascii', 124, 136).trim(), 8);
    const start = offset + BLOCK;
    if (!Number.isInteger(size) || start + size > tar.length) return null;
    const nameEnd = header.indexOf(0);
    const name = header.toString('utf8', 0, nameEnd < 0 || nameEnd > 100 ? 100 : nameEnd);
    entries.push({ name, data: tar.subarray(start, start + size) });
    offset = start + size + padding(size);
  }
  return null;
}

/** The header's bytes summed with its checksum field counted as eight spaces. */
function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  return sum;
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}
