/*
 * The verification of the trail's hash chain as people read it (docs/audit.md): every entry's hash
 * is recomputed from the previous one, from the start or from the last signed checkpoint. A broken
 * chain names the first entry that does not match and why; that is the one line an auditor needs.
 */

export interface VerificationOutcome {
  ok: boolean;
  fromSeq: number;
  checked: number;
  firstBadSeq: number | null;
  reason: string | null;
}

export interface OutcomeText {
  headline: string;
  detail: string;
}

const count = new Intl.NumberFormat('en-GB');

function entries(n: number): string {
  return `${count.format(n)} ${n === 1 ? 'entry' : 'entries'}`;
}

/** The cloud's reasons are phrases ("entry 57 was changed after it was written"): as a sentence. */
function sentence(phrase: string): string {
  const text = phrase.trim().replace(/[.]+$/, '');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** A run's result in two lines: intact with how much was checked, or where it breaks and why. */
export function outcomeText(outcome: VerificationOutcome): OutcomeText {
  const from = outcome.fromSeq <= 1 ? 'from the first entry' : `from entry #${outcome.fromSeq}`;
  if (outcome.ok) {
    return {
      headline: 'The chain is intact',
      detail:
        outcome.checked === 0
          ? 'Nothing to check: no entries after the starting point.'
          : `${entries(outcome.checked)} checked ${from}; every hash matches.`,
    };
  }
  const where =
    outcome.firstBadSeq === null ? 'The chain is broken' : `Broken at entry #${outcome.firstBadSeq}`;
  return {
    headline: where,
    detail: `${sentence(outcome.reason ?? 'no reason given')} ${entries(outcome.checked)} checked ${from}.`,
  };
}

export interface CheckpointOutcome {
  verification: VerificationOutcome;
  checkpoint: { seq: number } | null;
  signed: boolean;
}

/**
 * What "Sign checkpoint now" did: a checkpoint is signed only over a chain that verifies, and only
 * when the head moved since the last one.
 */
export function checkpointOutcomeText(outcome: CheckpointOutcome): { ok: boolean; text: string } {
  if (!outcome.verification.ok) {
    const { headline, detail } = outcomeText(outcome.verification);
    return { ok: false, text: `Not signed: the chain does not verify. ${headline}. ${detail}` };
  }
  if (outcome.checkpoint === null)
    return { ok: true, text: 'Nothing to sign yet: the trail has no entries.' };
  if (!outcome.signed) {
    return {
      ok: true,
      text: `Nothing new to sign: the latest checkpoint already seals entry #${outcome.checkpoint.seq}.`,
    };
  }
  return {
    ok: true,
    text: `Checkpoint signed at entry #${outcome.checkpoint.seq}; the chain up to it verifies.`,
  };
}

/** The trail opened at one entry: the list shows it first, then what came before it. */
export function entryHref(seq: number): string {
  return `/admin/audit?before=${seq + 1}`;
}

/** A download name that says what it is and which entry it seals. */
export function checkpointFileName(checkpoint: { seq: number; signedAt: string }): string {
  const day = checkpoint.signedAt.slice(0, 10).replace(/[^0-9-]/g, '');
  return `plantline-audit-checkpoint-${checkpoint.seq}${day ? `-${day}` : ''}.json`;
}

/** A hash cut to its start and end, enough to compare by eye; the whole is shown on request. */
export function shortHash(hash: string): string {
  return hash.length <= 20 ? hash : `${hash.slice(0, 10)}…${hash.slice(-6)}`;
}
