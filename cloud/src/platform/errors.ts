/**
 * The one domain error: a few codes, mapped to tRPC codes in one place (trpc/errors.ts).
 * `fieldErrors` names the input fields at fault so forms can show them next to the field.
 */
export type DomainErrorCode =
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'invalid'
  | 'unauthenticated'
  | 'throttled';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** PostgreSQL's unique violation, wherever the driver puts it. */
export function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause ?? error;
  return (cause as { code?: unknown } | null)?.code === '23505';
}

/** A write that may collide with another row's unique key: the collision becomes `taken()`. */
export async function unlessTaken<T>(work: Promise<T>, taken: () => DomainError): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

/**
 * A write whose foreign keys may refuse a reference: the refused constraint, when `errors` names it,
 * becomes that error (a field's "not found" or "not in this plant"); anything else passes through.
 */
export async function withConstraintErrors<T>(
  work: Promise<T>,
  errors: Readonly<Record<string, () => DomainError>>,
): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const cause = (error as { cause?: unknown } | null)?.cause ?? error;
    const constraint = (cause as { constraint?: unknown } | null)?.constraint;
    const mapped = typeof constraint === 'string' ? errors[constraint] : undefined;
    if (mapped !== undefined) throw mapped();
    throw error;
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);

/** A code already used by another row in its scope, reported on the form's `code` field. */
export const takenCode = () =>
  new DomainError('conflict', 'That code is already in use here', { code: 'Already in use' });

/** A write that may collide with another row's code: the collision becomes a field error. */
export const uniqueCode = <T>(work: Promise<T>): Promise<T> => unlessTaken(work, takenCode);
