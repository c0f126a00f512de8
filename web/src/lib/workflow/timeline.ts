import { formatPlantTime } from '$lib/plant-time';
import type { TimelineItem } from './api-types';
import { meaningLabel } from './signing';

/*
 * A workflow timeline entry in words (docs/workflows.md): transitions, votes, signatures, refused
 * signings, reminders, escalations, voids and moves to another version. No I/O.
 */

export type TimelineTone = 'normal' | 'good' | 'warning' | 'danger';

export interface TimelineLine {
  title: string;
  /** A second line: the comment, the reason, the versions. */
  detail: string | null;
  tone: TimelineTone;
}

function record(detail: unknown): Record<string, unknown> {
  return typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {};
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** "Ann Lee", "Ann Lee for Bo Park", or the system when no one acted (an SLA job). */
export function actorOf(entry: Pick<TimelineItem, 'actor' | 'onBehalfOf'>): string {
  if (entry.actor === null) return 'Plantline';
  return entry.onBehalfOf ? `${entry.actor} for ${entry.onBehalfOf}` : entry.actor;
}

/** The entry in words; times it mentions (an SLA's due time) are read in `timeZone`, the record's. */
export function timelineLine(entry: TimelineItem, timeZone: string): TimelineLine {
  const who = actorOf(entry);
  const detail = record(entry.detail);
  const comment = text(entry.comment);
  const action = entry.transitionLabel ?? 'the action';
  switch (entry.kind) {
    case 'started':
      return {
        title: `${who} started the workflow in ${entry.toLabel ?? 'its first state'}`,
        detail: comment,
        tone: 'normal',
      };
    case 'transition':
      return {
        title: `${who}: ${action} — ${entry.fromLabel ?? '?'} → ${entry.toLabel ?? '?'}`,
        detail: comment,
        tone: 'good',
      };
    case 'vote': {
      const rejected = detail.decision === 'reject';
      return {
        title: `${who} ${rejected ? 'rejected' : 'approved'} (${action})`,
        detail: comment,
        tone: rejected ? 'danger' : 'good',
      };
    }
    case 'signature':
      return {
        title: `${who} signed: ${meaningLabel(text(detail.meaning) ?? '')} (${action})`,
        detail:
          text(detail.recordSha256) === null
            ? null
            : `Record SHA-256 ${String(detail.recordSha256).slice(0, 12)}…`,
        tone: 'good',
      };
    case 'signature_failed':
      return { title: `A signing by ${who} was refused`, detail: null, tone: 'warning' };
    case 'voided': {
      const signer = text(detail.signerName);
      return {
        title: `Signature${signer ? ` of ${signer}` : ''} voided${entry.actor ? ` by ${who}'s edit` : ''}`,
        detail: comment,
        tone: 'warning',
      };
    }
    case 'reminder':
      return {
        title: 'Reminder sent: the step is due soon',
        detail: dueText(detail.dueAt, timeZone),
        tone: 'normal',
      };
    case 'escalation':
      return {
        title: `Overdue: escalated${text(detail.role) ? ` to ${String(detail.role)}` : ''}`,
        detail: dueText(detail.dueAt, timeZone),
        tone: 'danger',
      };
    case 'migrated':
      return {
        title: `${who} moved the record to version ${String(detail.toVersion ?? '?')} of the workflow (${entry.fromLabel ?? '?'} → ${entry.toLabel ?? '?'})`,
        detail: comment,
        tone: 'normal',
      };
    default:
      return { title: `${who}: ${entry.kind}`, detail: comment, tone: 'normal' };
  }
}

function dueText(dueAt: unknown, timeZone: string): string | null {
  const iso = text(dueAt);
  if (iso === null) return null;
  return Number.isNaN(new Date(iso).getTime()) ? null : `Due ${formatPlantTime(iso, timeZone)}`;
}

/** Entries that `after` has and `before` had not: what happened while the user looked at the page. */
export function newEntries(before: readonly TimelineItem[], after: readonly TimelineItem[]): TimelineItem[] {
  const seen = new Set(before.map((e) => `${e.at}|${e.kind}|${e.actor}|${e.transitionLabel}`));
  return after.filter((e) => !seen.has(`${e.at}|${e.kind}|${e.actor}|${e.transitionLabel}`));
}
