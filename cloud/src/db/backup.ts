import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { migrationsFolder } from '@plantline/schema/migrations';
import { cloudVersion } from '../version.js';
import { BackupError, type BackupManifest, readBackupArchive, writeBackupArchive } from './backup-archive.js';
import { requestBackup } from './backup-socket.js';
import { acquireDataDirLock, dataDirHolder } from './data-dir-lock.js';
import type { Database } from './database.js';
import { loadEmbeddedDump, openEmbeddedDatabase } from './embedded.js';

/**
 * `pnpm db:backup` and `pnpm db:restore` for the embedded engine (docs/operations.md, "Backups and
 * upgrades"). A PostgreSQL server is backed up with its own tools, pg_dump and pg_restore.
 */

/** Where a command reports what it is doing, one line at a time. */
export type Progress = (line: string) => void;

/** The backup file of an open embedded database: what the admin socket sends, and what the CLI writes. */
export async function backupArchive(db: Database): Promise<Buffer> {
  if (db.backup === undefined) throw new BackupError('Only the embedded engine is backed up this way.');
  const taken = await db.backup();
  const manifest: BackupManifest = {
    format: 'plantline-embedded-backup',
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    plantlineVersion: cloudVersion,
    migration:
      taken.migration === null
        ? null
        : {
            ...taken.migration,
            tag: journal().find((m) => m.when === taken.migration?.createdAt)?.tag ?? null,
          },
  };
  return writeBackupArchive(manifest, taken.files);
}

/**
 * Backs up the embedded database of `dataDir` into `file`. A running cloud holds the folder, so it is
 * asked to take the backup itself, between two of its transactions (backup-socket.ts); without one
 * the folder is opened here. The file appears only once complete and checked.
 */
export async function backupEmbedded(
  dataDir: string,
  file: string,
  progress: Progress,
): Promise<BackupManifest> {
  if (!existsSync(join(dataDir, 'db', 'PG_VERSION'))) {
    throw new BackupError(
      `There is no embedded database in ${dataDir} (is PLANTLINE_DATA_DIR the cloud's?).`,
    );
  }
  if (!isFolder(dirname(file))) throw new BackupError(`The folder ${dirname(file)} does not exist.`);
  const partial = `${file}.partial`;
  try {
    const holder = dataDirHolder(dataDir);
    if (holder !== null) {
      progress(`The cloud (process ${holder}) is using ${dataDir}: asking it for the backup…`);
      await requestBackup(dataDir, holder, partial);
    } else {
      progress(`No cloud is using ${dataDir}: opening the database…`);
      await writeFile(partial, await backupOfClosedFolder(dataDir));
    }
    progress('Checking the backup reads back…');
    const { manifest } = await readBackupArchive(await readFile(partial), partial);
    renameSync(partial, file);
    progress(
      `Backed up ${dataDir} to ${file} (${megabytes(statSync(file).size)}, ` +
        `database at ${describeMigration(manifest)}).`,
    );
    return manifest;
  } finally {
    rmSync(partial, { force: true });
  }
}

async function backupOfClosedFolder(dataDir: string): Promise<Buffer> {
  let opened: Awaited<ReturnType<typeof openEmbeddedDatabase>>;
  try {
    opened = await openEmbeddedDatabase({ dataDir });
  } catch (error) {
    // A cloud that started since the check above, for one.
    throw new BackupError(`Could not open the embedded database: ${(error as Error).message}`);
  }
  try {
    return await backupArchive(opened.database);
  } finally {
    await opened.database.close();
  }
}

/**
 * Restores a backup file into `dataDir`'s database folder (`db/`). The file is read and checked
 * before anything is touched; the folder must not be in use, and a database already there is
 * replaced only with `force`. The dump is loaded and started beside it first, so a failure leaves
 * the old database as it was. Other files of the data folder (the audit signing key, reports) stay.
 */
export async function restoreEmbedded(
  file: string,
  dataDir: string,
  options: { force: boolean },
  progress: Progress,
): Promise<BackupManifest> {
  progress(`Checking ${file}…`);
  const { manifest, files } = await readBackupArchive(await readBackupFile(file), file);
  progress(
    `A backup taken ${manifest.createdAt} by Plantline ${manifest.plantlineVersion}, ` +
      `database at ${describeMigration(manifest)}.`,
  );
  const known = journal();
  const latest = known[known.length - 1];
  if (manifest.migration !== null && latest !== undefined && manifest.migration.createdAt > latest.when) {
    throw new BackupError(
      `${file} holds migrations this Plantline does not know (its latest is ${latest.tag}): ` +
        'restore it with the version that took it, or a newer one.',
    );
  }
  mkdirSync(dataDir, { recursive: true });
  let release: () => void;
  try {
    release = acquireDataDirLock(dataDir);
  } catch (error) {
    throw new BackupError(`Not restoring into ${dataDir}: ${(error as Error).message}`);
  }
  try {
    const engineDir = join(dataDir, 'db');
    const replacing = isFolder(engineDir) && readdirSync(engineDir).length > 0;
    if (replacing && !options.force) {
      throw new BackupError(
        `${dataDir} already holds a database (${engineDir}). Restore into an empty data folder, ` +
          'or pass --force to replace it.',
      );
    }
    const staging = join(dataDir, 'db.restoring');
    const replaced = join(dataDir, 'db.replaced');
    rmSync(staging, { recursive: true, force: true });
    progress(`Loading the database (${megabytes(files.length)}) into ${staging}…`);
    try {
      await loadEmbeddedDump(staging, files);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw new BackupError(`The engine could not start on the backup's files: ${(error as Error).message}`);
    }
    if (replacing) {
      progress(`Replacing the database in ${engineDir}…`);
      rmSync(replaced, { recursive: true, force: true });
      renameSync(engineDir, replaced);
    }
    renameSync(staging, engineDir);
    rmSync(replaced, { recursive: true, force: true });
    const newer = known.filter((m) => m.when > (manifest.migration?.createdAt ?? 0)).length;
    progress(
      `Restored into ${dataDir}.` +
        (newer === 0
          ? ''
          : ` The cloud's next start (or pnpm db:migrate) applies ${newer} newer migration(s).`),
    );
    return manifest;
  } finally {
    release();
  }
}

async function readBackupFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BackupError(`There is no file ${file}.`);
    if (code === 'EISDIR') throw new BackupError(`${file} is a folder, not a backup file.`);
    throw error;
  }
}

interface JournalEntry {
  tag: string;
  when: number;
}

/** The committed migrations in order (drizzle's journal, schema/migrations/meta/_journal.json). */
function journal(): JournalEntry[] {
  const text = readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8');
  return (JSON.parse(text) as { entries: JournalEntry[] }).entries;
}

function describeMigration(manifest: BackupManifest): string {
  if (manifest.migration === null) return 'no migration';
  return `migration ${manifest.migration.tag ?? `of ${new Date(manifest.migration.createdAt).toISOString()}`}`;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
