import type { emailDigests } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { tenantSettings } from '../settings/index.js';
import { kindLabel, notificationKinds, TEST_KIND } from './kinds.js';

/*
 * A user's notification preferences (docs/notifications.md, "Preferences"): email on or off per kind,
 * and an hourly or daily digest instead of an email per notification. Where a user has not chosen,
 * the tenant's defaults apply, and follow the tenant when it changes them.
 */

export type Digest = (typeof emailDigests)[number];

export interface KindPreference {
  kind: string;
  label: string;
  /** Whether this kind comes by email: the user's choice, else the tenant's default. */
  email: boolean;
  /** Whether that is the user's own choice rather than the default. */
  chosen: boolean;
}

export interface Preferences {
  /** Whether this server sends email at all (SMTP_URL); without it the choices wait for it. */
  emailConfigured: boolean;
  defaults: { email: boolean; digest: Digest };
  digest: { value: Digest; chosen: boolean };
  kinds: KindPreference[];
}

/** The kinds worth a choice: the catalogue's, the ones the user has received, the ones they chose for. */
export async function readPreferences(
  tx: Sql,
  userId: string,
  emailConfigured: boolean,
): Promise<Preferences> {
  const defaults = (await tenantSettings(tx)).notifications;
  const chosen = await rows<{ kind: string; email: boolean }>(
    tx,
    sql`select kind, email from notification_preferences where user_id = ${userId} order by kind`,
  );
  const received = await rows<{ kind: string }>(
    tx,
    sql`select distinct kind from notifications where user_id = ${userId} order by kind`,
  );
  const [digestRow] = await rows<{ digest: Digest }>(
    tx,
    sql`select digest from notification_digests where user_id = ${userId}`,
  );
  const choiceOf = new Map(chosen.map((c) => [c.kind, c.email]));
  const kinds = [
    ...new Set([...notificationKinds.map((k) => k.kind), ...received.map((r) => r.kind), ...choiceOf.keys()]),
  ]
    .filter((kind) => kind !== TEST_KIND)
    .map((kind) => {
      const own = choiceOf.get(kind);
      return {
        kind,
        label: kindLabel(kind),
        email: own ?? defaults.emailByDefault,
        chosen: own !== undefined,
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
  return {
    emailConfigured,
    defaults: { email: defaults.emailByDefault, digest: defaults.defaultDigest },
    digest: { value: digestRow?.digest ?? defaults.defaultDigest, chosen: digestRow !== undefined },
    kinds,
  };
}

export interface PreferenceChanges {
  /** Per kind: email on or off, or null to follow the tenant's default again. */
  kinds?: readonly { kind: string; email: boolean | null }[] | undefined;
  /** The digest, or null to follow the tenant's default again. */
  digest?: Digest | null | undefined;
}

export async function changePreferences(
  tx: Sql,
  tenantId: string,
  userId: string,
  changes: PreferenceChanges,
): Promise<void> {
  for (const { kind, email } of changes.kinds ?? []) {
    await tx.execute(
      email === null
        ? sql`delete from notification_preferences where user_id = ${userId} and kind = ${kind}`
        : sql`insert into notification_preferences (tenant_id, user_id, kind, email)
              values (${tenantId}, ${userId}, ${kind}, ${email})
              on conflict (tenant_id, user_id, kind) do update set email = excluded.email`,
    );
  }
  if (changes.digest === null) {
    await tx.execute(sql`delete from notification_digests where user_id = ${userId}`);
  } else if (changes.digest !== undefined) {
    await chooseDigest(tx, tenantId, userId, changes.digest);
  }
}

/**
 * A digest chosen: its window continues from the user's last digest email if there was one (a switch
 * from hourly to daily keeps what is waiting), and otherwise starts now — until now, the user's
 * notifications went out one email each. Turning it on after it was off starts it now too.
 */
async function chooseDigest(tx: Sql, tenantId: string, userId: string, digest: Digest) {
  await tx.execute(sql`
    insert into notification_digests as d (tenant_id, user_id, digest, covered_until)
    values (${tenantId}, ${userId}, ${digest},
            coalesce((select max(created_at) from notification_deliveries
                       where user_id = ${userId} and notification_id is null), now()))
    on conflict (tenant_id, user_id) do update
      set digest = excluded.digest,
          covered_until = case when d.digest = 'off' and excluded.digest <> 'off' then now()
                               else d.covered_until end`);
}
