import { describe, expect, it } from 'vitest';
import { slaStep, slaTimes } from './sla.js';

const at = (h: number, m = 0) => new Date(Date.UTC(2026, 2, 2, h, m));

describe('slaTimes', () => {
  it('is due the given hours after entering and reminds the given hours before', () => {
    expect(slaTimes({ type: 'start_sla', hours: 8, remindBeforeHours: 2 }, at(6))).toEqual({
      dueAt: at(14),
      remindAt: at(12),
    });
    expect(slaTimes({ type: 'start_sla', hours: 1.5 }, at(6))).toEqual({ dueAt: at(7, 30), remindAt: null });
  });

  it('never reminds before the state was entered', () => {
    expect(slaTimes({ type: 'start_sla', hours: 1, remindBeforeHours: 3 }, at(6)).remindAt).toEqual(at(6));
  });
});

describe('slaStep', () => {
  const timer = { dueAt: at(14), remindAt: at(12), remindedAt: null, escalatedAt: null };

  it('does nothing before the reminder, reminds once, then escalates once', () => {
    expect(slaStep(timer, at(11, 59))).toBeNull();
    expect(slaStep(timer, at(12))).toBe('remind');
    const reminded = { ...timer, remindedAt: at(12) };
    expect(slaStep(reminded, at(13))).toBeNull();
    expect(slaStep(reminded, at(14))).toBe('escalate');
    expect(slaStep({ ...reminded, escalatedAt: at(14) }, at(20))).toBeNull();
  });

  it('escalates without reminding when the job first runs after the due time', () => {
    expect(slaStep(timer, at(15))).toBe('escalate');
    expect(slaStep({ ...timer, escalatedAt: at(15) }, at(16))).toBeNull();
  });

  it('does nothing without a timer', () => {
    expect(slaStep({ dueAt: null, remindAt: null, remindedAt: null, escalatedAt: null }, at(23))).toBeNull();
    expect(slaStep({ ...timer, remindAt: null }, at(13))).toBeNull();
  });
});
