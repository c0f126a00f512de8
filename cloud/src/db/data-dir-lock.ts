import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The embedded engine's files must be opened by one process only: two would corrupt them.
 * A pid file taken with O_EXCL says who has the folder; a stale one (its process gone, e.g.
 * after kill -9) is taken over.
 */
const lockedHere = new Set<string>();

const lockFile = (dataDir: string) => join(dataDir, 'plantline.pid');

/** The running process that holds `dataDir` (this one included), or null when none does. */
export function dataDirHolder(dataDir: string): number | null {
  const lockPath = lockFile(dataDir);
  if (lockedHere.has(lockPath)) return process.pid;
  let holder: number;
  try {
    holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
  } catch {
    return null;
  }
  return Number.isInteger(holder) && holder !== process.pid && isAlive(holder) ? holder : null;
}

export function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = lockFile(dataDir);
  if (lockedHere.has(lockPath)) {
    throw new Error(`The embedded database in ${dataDir} is in use by process ${process.pid} (this one).`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      lockedHere.add(lockPath);
      return () => {
        lockedHere.delete(lockPath);
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Our own pid in the file is a leftover (a container restarts as pid 1 every time).
      const holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${holder}. Stop that process, ` +
            'or set PLANTLINE_DATA_DIR to another folder.',
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database folder ${dataDir}`);
}
