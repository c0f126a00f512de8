import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/*
 * A run's output file in the reports store (docs/reports.md, "Retention"): written under a temporary
 * name while the run goes, its SHA-256 and size taken from the bytes as they pass, and renamed only
 * when complete — a run cut off by a stop leaves no file that looks finished.
 */

export interface OutputFile {
  /** Write the output here. */
  readonly stream: PassThrough;
  /** Resolves once everything written is on disk, with the digest and size. */
  finish(): Promise<{ sha256: string; bytes: number }>;
  discard(): Promise<void>;
}

export async function openOutputFile(path: string): Promise<OutputFile> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.part`;
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  const written = pipeline(stream, createWriteStream(partial));
  // A failure is reported by finish() or ignored by discard(); never an unhandled rejection.
  written.catch(() => undefined);
  return {
    stream,
    finish: async () => {
      if (!stream.writableEnded) stream.end();
      await written;
      await rename(partial, path);
      return { sha256: hash.digest('hex'), bytes };
    },
    discard: async () => {
      stream.destroy();
      await written.catch(() => undefined);
      await rm(partial, { force: true });
    },
  };
}
