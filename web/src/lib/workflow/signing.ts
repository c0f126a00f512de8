import type { SignatureItem, SigningRequirement } from './api-types';

/*
 * The words of electronic signatures on screen (docs/workflows.md, "Electronic signatures"): what a
 * signer confirms, how a signature is named and dated, where its printable page is, and what the sign
 * dialog checks before sending. No I/O.
 */

const meanings: Readonly<Record<string, { label: string; confirm: string }>> = {
  review: { label: 'Review', confirm: 'your review of' },
  approval: { label: 'Approval', confirm: 'your approval of' },
  responsibility: { label: 'Responsibility', confirm: 'your responsibility for' },
  authorship: { label: 'Authorship', confirm: 'your authorship of' },
};

/** A meaning as a label: `approval` → `Approval`; one the app does not know reads as stored. */
export function meaningLabel(meaning: string): string {
  return meanings[meaning]?.label ?? meaning;
}

/** What the signer confirms (21 CFR 11.50(a)(3)): "By signing you confirm your approval of NCR-…". */
export function signingStatement(meaning: string, recordLabel: string): string {
  const confirm = meanings[meaning]?.confirm ?? `${meaning} of`;
  return `By signing you confirm ${confirm} ${recordLabel}.`;
}

/** The signer as printed: "Ann Lee", or "Ann Lee for Bo Park" under a delegation. */
export function signerLabel(signature: Pick<SignatureItem, 'signerName' | 'onBehalfOfName'>): string {
  return signature.onBehalfOfName
    ? `${signature.signerName} for ${signature.onBehalfOfName}`
    : signature.signerName;
}

/** Enough of a SHA-256 to compare by eye; the whole is copied and printed. */
export function hashPrefix(sha256: string): string {
  return sha256.slice(0, 12);
}

/** How the signer was identified. */
export function componentsLabel(components: SignatureItem['components']): string {
  return components === 'both' ? 'Email and password' : 'Password (session already verified)';
}

/** The printable page of a record's signatures (the cloud's GET route). */
export function signaturesPdfHref(entityType: string, entityId: string): string {
  return `/api/workflow/signatures/${encodeURIComponent(entityType)}/${encodeURIComponent(entityId)}.pdf`;
}

/** A time as the viewer reads it and in UTC, both to the second: a signature's time is exact. */
export function signatureTimes(iso: string, timeZone: string): { local: string; utc: string } {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return { local: iso, utc: iso };
  const format = (zone: string) => {
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: zone, dateStyle: 'short' }).format(at);
    const time = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).format(at);
    return `${date} ${time}`;
  };
  return { local: format(timeZone), utc: `${format('UTC')} UTC` };
}

export interface SignInput {
  email: string;
  password: string;
}

/** The dialog's problems before sending: the email when both components are needed, the password always. */
export function signProblems(requirement: SigningRequirement, input: SignInput): Record<string, string> {
  const problems: Record<string, string> = {};
  if (requirement.components === 'both' && input.email.trim() === '')
    problems.email = 'Enter your email: the first signing of a session needs both';
  if (input.password === '') problems.password = 'Enter your password';
  return problems;
}

/** What goes to the cloud: the email only when both components are asked for. */
export function signaturePayload(
  requirement: SigningRequirement,
  input: SignInput,
): { email?: string; password: string } {
  return requirement.components === 'both'
    ? { email: input.email.trim(), password: input.password }
    : { password: input.password };
}

/** Why both components are asked for, in the dialog. */
export function requirementHint(requirement: SigningRequirement): string {
  return requirement.components === 'both'
    ? `Enter your email and password. After that, further signatures in this session within ${requirement.idleMinutes} minutes need only the password.`
    : 'Enter your password to sign.';
}
