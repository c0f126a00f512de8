/**
 * A place in a tenant's commit log: after the event at `position` (1-based) of commit `seq`.
 * `position` may exceed the commit's size, meaning "after the whole commit".
 */
export interface LiveCursor {
  seq: number;
  position: number;
}

const CURSOR = /^(\d{1,15}):(\d{1,15})$/;

/** The id `events.live` tracks its batches by; the tRPC client sends it back as lastEventId. */
export function cursorId(cursor: LiveCursor): string {
  return `${cursor.seq}:${cursor.position}`;
}

export function parseCursor(id: string): LiveCursor {
  const match = CURSOR.exec(id);
  if (match === null) throw new Error(`not a live cursor: ${id}`);
  return { seq: Number(match[1]), position: Number(match[2]) };
}

/** For input validation: the same form parseCursor accepts. */
export const cursorPattern = CURSOR;
