import type { AppRouter } from '@plantline/cloud';
import type { TRPCLink } from '@trpc/client';
import { canCarryReason, cancelledError, describeChange, needsReason, withReason } from './reason';

/** Asks the user why they make `change`; null when they decline. */
export type AskForReason = (change: string) => Promise<string | null>;

/**
 * The reason prompt for every mutation at once (docs/settings.md, "The reason prompt"). When the
 * cloud refuses a change because the tenant requires a reason, this link asks the user for one and
 * sends the same call again with `reason` in its input; the page that made the call only sees the
 * answer to the second. Declining gives the page the refusal with a message saying nothing was saved,
 * so its form stays as the user left it. Only object inputs can carry a reason: a mutation whose input
 * is not an object gets the cloud's refusal as it came (Plantline's only such mutation is sign-out,
 * which changes no data a reason is asked for). A second refusal of the same call is passed on rather
 * than asked about again.
 */
export function reasonLink(ask: AskForReason): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) => {
      if (op.type !== 'mutation') return next(op);
      const first = next(op);
      type Observer = Parameters<typeof first.subscribe>[0];
      const observable: typeof first = {
        subscribe(observer: Observer) {
          let current = { unsubscribe() {} };
          let done = false;
          current = first.subscribe({
            ...observer,
            error(err) {
              if (done || !needsReason(err) || !canCarryReason(op.input)) {
                observer.error?.(err);
                return;
              }
              const input = op.input;
              void ask(describeChange(op.path)).then((reason) => {
                if (done) return;
                if (reason === null) {
                  observer.error?.(cancelledError(err));
                  return;
                }
                current = next({ ...op, input: withReason(input, reason) }).subscribe(observer);
              });
            },
          });
          return {
            unsubscribe() {
              done = true;
              current.unsubscribe();
            },
          };
        },
        pipe: ((...operators: ((source: unknown) => unknown)[]) =>
          operators.reduce((acc, operator) => operator(acc), observable as unknown)) as typeof first.pipe,
      };
      return observable;
    };
}
