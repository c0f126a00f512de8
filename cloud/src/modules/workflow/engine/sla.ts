import type { EnterAction } from '@plantline/schema/workflow';

/*
 * Per-state SLA timers (docs/workflows.md): the times are computed when a state is entered and stored
 * on the instance; a job asks `slaStep` what is due. Time always comes in as an argument, so the
 * behaviour is tested with fixed dates and survives restarts (the job reads the stored times).
 */

const HOUR_MS = 3_600_000;

export type StartSla = Extract<EnterAction, { type: 'start_sla' }>;

/** When the state is due and when to remind (never before the state was entered). */
export function slaTimes(action: StartSla, enteredAt: Date): { dueAt: Date; remindAt: Date | null } {
  const due = enteredAt.getTime() + Math.round(action.hours * HOUR_MS);
  if (action.remindBeforeHours === undefined) return { dueAt: new Date(due), remindAt: null };
  const remind = Math.max(enteredAt.getTime(), due - Math.round(action.remindBeforeHours * HOUR_MS));
  return { dueAt: new Date(due), remindAt: new Date(remind) };
}

export interface SlaTimer {
  dueAt: Date | null;
  remindAt: Date | null;
  remindedAt: Date | null;
  escalatedAt: Date | null;
}

/**
 * What the SLA job should do now: escalate once due (even if never reminded: a late reminder helps
 * nobody), remind once when the reminder time has come, and never do either twice.
 */
export function slaStep(timer: SlaTimer, now: Date): 'remind' | 'escalate' | null {
  if (timer.dueAt === null || timer.escalatedAt !== null) return null;
  const t = now.getTime();
  if (t >= timer.dueAt.getTime()) return 'escalate';
  if (timer.remindAt !== null && timer.remindedAt === null && t >= timer.remindAt.getTime()) return 'remind';
  return null;
}
