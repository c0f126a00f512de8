import type { Sql } from '../../db/index.js';

export interface Isolated<T, R> {
  /** What the writes that went through returned. */
  written: R[];
  /** Items the database refused, each with its reason. */
  refused: { item: T; reason: string }[];
}

/**
 * Runs a set-based write of `items` in a savepoint. When the database refuses a value of some row,
 * the savepoint is rolled back and each half is written again the same way, down to the single
 * items at fault: one refused row costs only its own event, never the batch around it. A batch
 * without one pays a single savepoint; k refused rows among n cost about 2·k·log2(n) statements.
 * Any other error (connection, serialization, permission) is not about one row and fails the whole
 * write, so the caller retries rather than losing events that were fine.
 */
export async function writeIsolating<T, R>(
  tx: Sql,
  items: readonly T[],
  write: (tx: Sql, items: readonly T[]) => Promise<R[]>,
): Promise<Isolated<T, R>> {
  const result: Isolated<T, R> = { written: [], refused: [] };
  const attempt = async (part: readonly T[]): Promise<void> => {
    try {
      result.written.push(...(await tx.transaction((savepoint) => write(savepoint as Sql, part))));
    } catch (error) {
      if (!refusesRow(error)) throw error;
      if (part.length === 1) {
        result.refused.push({ item: part[0]!, reason: `the database refused it: ${messageOf(error)}` });
        return;
      }
      const half = Math.ceil(part.length / 2);
      await attempt(part.slice(0, half));
      await attempt(part.slice(half));
    }
  };
  if (items.length > 0) await attempt(items);
  return result;
}

/**
 * SQLSTATE classes about the values of a row (PostgreSQL manual, appendix A "Error Codes"): 22 data
 * exception (bad encoding, a time out of range) and 23 integrity constraint violation, plus 54000,
 * a value too large for an index entry.
 */
function refusesRow(error: unknown): boolean {
  const code = (pgError(error) as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23') || code === '54000');
}

function pgError(error: unknown): object {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return (typeof cause === 'object' && cause !== null ? cause : error) ?? {};
}

function messageOf(error: unknown): string {
  const message = (pgError(error) as { message?: unknown }).message;
  return typeof message === 'string' ? message.slice(0, 200) : 'unknown reason';
}
