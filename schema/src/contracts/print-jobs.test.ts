import { describe, expect, it } from 'vitest';
import { PRINT_JOBS_MAX_WAIT_MS, printJobsInputSchema, printResultSchema } from './print-jobs.js';

describe('the print-job contract', () => {
  const printId = '0190f0e2-7c1a-7000-8000-000000000001';

  it('bounds the long poll’s wait, with none by default', () => {
    expect(printJobsInputSchema.parse({})).toEqual({ waitMs: 0 });
    expect(printJobsInputSchema.safeParse({ waitMs: PRINT_JOBS_MAX_WAIT_MS }).success).toBe(true);
    expect(printJobsInputSchema.safeParse({ waitMs: PRINT_JOBS_MAX_WAIT_MS + 1 }).success).toBe(false);
    expect(printJobsInputSchema.safeParse({ waitMs: -1 }).success).toBe(false);
  });

  it('takes a result that printed without an error, or failed with one of the client’s codes', () => {
    expect(printResultSchema.safeParse({ printId, ok: true, status: null, error: null }).success).toBe(true);
    const failed = { printId, ok: false, status: null, error: { code: 'not_ready', message: 'paper out' } };
    expect(printResultSchema.safeParse(failed).success).toBe(true);
    const mismatched = [
      { printId, ok: false, status: null, error: null },
      { ...failed, ok: true },
      { ...failed, error: { code: 'on_fire', message: 'x' } },
    ];
    for (const result of mismatched)
      expect(printResultSchema.safeParse(result).success, JSON.stringify(result)).toBe(false);
  });
});
