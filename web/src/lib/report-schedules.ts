import type { trpc } from './trpc';

/*
 * The schedule panel's pure parts (docs/reports.md, "Schedules"): the trigger a form means, a trigger
 * in words, and a delivery's state in words. Tested in report-schedules.test.ts.
 */
type Client = typeof trpc;
export type ScheduleRow = Awaited<ReturnType<Client['reports']['schedules']['list']['query']>>[number];
export type Trigger = ScheduleRow['trigger'];
export type TriggerKind = Trigger['kind'];

export const TRIGGER_KINDS: readonly { value: TriggerKind; label: string }[] = [
  { value: 'shiftEnd', label: 'At the end of every shift' },
  { value: 'firstWorkingDay', label: 'On the first working day of each month' },
  { value: 'cron', label: 'On a cron schedule' },
];

export interface TriggerForm {
  kind: TriggerKind;
  shiftName: string;
  time: string;
  expression: string;
  timeZone: string;
}

/** The trigger the form means, or why it means none yet. */
export function triggerOf(form: TriggerForm): { trigger: Trigger } | { problem: string } {
  if (form.kind === 'shiftEnd')
    return {
      trigger: { kind: 'shiftEnd', shiftName: form.shiftName.trim() === '' ? null : form.shiftName.trim() },
    };
  if (form.kind === 'firstWorkingDay') {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(form.time)) return { problem: 'Give the time as HH:MM' };
    return { trigger: { kind: 'firstWorkingDay', time: form.time } };
  }
  if (form.expression.trim().split(/\s+/).length !== 5)
    return { problem: 'A cron expression has five fields: minute hour day month weekday' };
  return { trigger: { kind: 'cron', expression: form.expression.trim(), timeZone: form.timeZone.trim() } };
}

export function triggerText(trigger: Trigger): string {
  if (trigger.kind === 'shiftEnd')
    return trigger.shiftName === null ? 'End of every shift' : `End of every ${trigger.shiftName} shift`;
  if (trigger.kind === 'firstWorkingDay') return `First working day of the month, ${trigger.time}`;
  return `${trigger.expression} (${trigger.timeZone})`;
}

export function deliveryText(delivery: ScheduleRow['lastDelivery']): string {
  if (delivery === null) return 'Not run yet';
  const when = new Date(delivery.at).toLocaleString();
  if (delivery.status === 'delivered') return `Delivered ${when}`;
  if (delivery.status === 'skipped') return `Skipped as empty ${when}`;
  if (delivery.status === 'pending') return `Retrying: ${delivery.error ?? ''}`;
  return `Failed ${when}: ${delivery.error ?? ''}`;
}
