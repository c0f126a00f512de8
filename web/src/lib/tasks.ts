import type { trpc } from './trpc';
import type { FieldErrors } from './validation';

/*
 * "My tasks" and delegations, the pure parts (docs/workflows.md, "My tasks", "Delegation"): the shapes
 * the API returns (inferred, as in api-types.ts), where a task leads, how its due time and the counts
 * read, and the checks of the delegation form that mirror the cloud's.
 */
type Client = typeof trpc;

export type TasksPage = Awaited<ReturnType<Client['workflow']['tasks']['mine']['query']>>;
export type TaskItem = TasksPage['items'][number];
export type TaskKind = TaskItem['kind'];
export type TaskCounts = TasksPage['counts'];
export type Delegation = Awaited<ReturnType<Client['workflow']['delegations']['list']['query']>>[number];
export type DelegationStatus = Delegation['status'];
export type Person = Awaited<ReturnType<Client['workflow']['delegations']['people']['query']>>[number];

export const TASKS_PAGE = '/tasks';
export const DELEGATIONS_PAGE = '/tasks/delegations';

/** Where a task leads: its record's page (approving happens there, never in the list). Only paths of this app. */
export function taskHref(item: Pick<TaskItem, 'link'>): string {
  const link = item.link ?? '';
  return /^\/(?![/\\])/.test(link) ? link : TASKS_PAGE;
}

export const TASK_KIND_LABELS: Record<TaskKind, string> = {
  approval: 'Approval',
  action: 'Action',
  overdue: 'Overdue',
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A span as people say it: "45 min", "3 h", "2 days". */
function span(ms: number): string {
  if (ms < HOUR) return `${Math.max(1, Math.round(ms / 60_000))} min`;
  if (ms < DAY) return `${Math.round(ms / HOUR)} h`;
  const days = Math.round(ms / DAY);
  return days === 1 ? '1 day' : `${days} days`;
}

/** "Overdue by 3 h", "Due in 2 days", or "No due date". */
export function dueText(dueAt: string | null, now: Date): string {
  if (dueAt === null) return 'No due date';
  const left = new Date(dueAt).getTime() - now.getTime();
  return left <= 0 ? `Overdue by ${span(-left)}` : `Due in ${span(left)}`;
}

/** "No open tasks", "1 open task", "4 open tasks, 1 overdue". */
export function countsText(counts: TaskCounts): string {
  if (counts.open === 0) return 'No open tasks';
  const open = counts.open === 1 ? '1 open task' : `${counts.open} open tasks`;
  return counts.overdue === 0 ? open : `${open}, ${counts.overdue} overdue`;
}

/** The navigation badge: up to 99, then "99+"; nothing for none. */
export function tasksBadge(open: number): string | null {
  if (open <= 0) return null;
  return open > 99 ? '99+' : String(open);
}

export const DELEGATION_STATUS_LABELS: Record<DelegationStatus, string> = {
  scheduled: 'Planned',
  active: 'Active',
  ended: 'Ended',
  revoked: 'Revoked',
};

/** A `datetime-local` input's value for an instant, in the browser's time zone. */
export function localInputValue(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The instant a `datetime-local` value names in the browser's time zone; null when empty or not a date. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

export interface DelegationForm {
  delegatorId: string;
  delegateId: string;
  startsAt: string;
  endsAt: string;
  reason: string;
}

/** delegations.ts and delegations.router.ts in the cloud: the same rules, said while typing. */
export function validateDelegation(values: DelegationForm, now: Date): FieldErrors {
  const errors: FieldErrors = {};
  if (values.delegateId === '') errors.delegateId = 'Choose who acts for you';
  else if (values.delegateId === values.delegatorId) errors.delegateId = 'Choose someone else';
  const starts = fromLocalInput(values.startsAt);
  const ends = fromLocalInput(values.endsAt);
  if (starts === null) errors.startsAt = 'Enter a date and time';
  if (ends === null) errors.endsAt = 'Enter a date and time';
  else if (starts !== null && ends <= starts) errors.endsAt = 'After the start';
  else if (ends <= now) errors.endsAt = 'In the future';
  if (values.reason.trim().length > 500) errors.reason = 'Use at most 500 characters';
  return errors;
}

/** Whether the viewer may still end a delegation: it has not ended, and they are one of its people or manage users. */
export function mayRevoke(d: Delegation, viewerId: string, managesUsers: boolean): boolean {
  if (d.status === 'ended' || d.status === 'revoked') return false;
  return managesUsers || d.delegator.id === viewerId || d.delegate.id === viewerId;
}
