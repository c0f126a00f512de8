import { COUNTRY_CODES, isCountryCode } from '@plantline/schema';
import { gs1CheckDigit, hasValidCheckDigit } from '@plantline/schema/gs1';
import type { trpc } from './trpc';
import { emailProblem, type FieldErrors, nameProblem } from './validation';

/*
 * Customers, ship-to addresses and carriers in the web (docs/logistics.md, "Customers and delivery
 * requests"): the forms' values, checks and API inputs, mirroring the cloud's
 * (cloud/src/modules/customers/customers.router.ts, carriers.router.ts, customer-rules.ts).
 */

type Api = (typeof trpc)['logistics'];
export type Customer = Awaited<ReturnType<Api['customers']['get']['query']>>;
export type CustomerRow = Awaited<ReturnType<Api['customers']['list']['query']>>['items'][number];
export type Address = Customer['addresses'][number];
export type Carrier = Awaited<ReturnType<Api['carriers']['list']['query']>>[number];
export type CustomerPatch = NonNullable<Parameters<Api['customers']['update']['mutate']>[0]['patch']>;
export type OtdOverride = NonNullable<Customer['otdPolicy']>;

/** catalogueCodeInput in cloud/src/platform/inputs.ts. */
const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$/;

export function customerCodeProblem(value: string): string | null {
  const code = value.trim();
  if (code === '') return 'Enter a code';
  if (!CODE_PATTERN.test(code)) return 'Use 1–64 letters, digits and _ . - / (no spaces)';
  return null;
}

/** A GLN as typed, spaces between digit groups dropped. */
export const glnOf = (value: string) => value.replace(/\s+/g, '');

/** glnProblem in cloud/src/platform/inputs.ts: 13 digits ending in the GS1 check digit; empty is none. */
export function glnProblem(value: string): string | null {
  const gln = glnOf(value);
  if (gln === '') return null;
  if (!/^[0-9]{13}$/.test(gln)) return 'A GLN has 13 digits';
  if (hasValidCheckDigit(gln)) return null;
  return `Wrong check digit: a GLN starting ${gln.slice(0, 12)} ends in ${gs1CheckDigit(gln.slice(0, 12))}`;
}

const tooLong = (value: string, max: number) =>
  value.trim().length > max ? `At most ${max} characters` : null;

function check(errors: FieldErrors, field: string, problem: string | null) {
  if (problem !== null) errors[field] = problem;
}

// ---- OTD exceptions: each part is the tenant's ('') or the customer's own

export const OTD_REFERENCES = [
  { value: 'requested', label: 'Requested date' },
  { value: 'first_promised', label: 'First promised date' },
  { value: 'latest_promised', label: 'Latest promised date' },
] as const;
export const OTD_ACTUALS = [
  { value: 'shipped', label: 'Shipped' },
  { value: 'delivered', label: 'Delivered' },
] as const;
export const OTD_UNITS = [
  { value: 'shipment', label: 'Shipment' },
  { value: 'line', label: 'Line' },
  { value: 'quantity', label: 'Quantity' },
] as const;
/** schema/src/settings.ts OTD_WINDOW_MAX_DAYS. */
export const OTD_WINDOW_MAX_DAYS = 30;

export interface OtdValues {
  reference: string;
  actual: string;
  earlyDays: string;
  lateDays: string;
  /** '', 'yes' or 'no'. */
  earlyIsLate: string;
  unit: string;
}

export const tenantOtd = (): OtdValues => ({
  reference: '',
  actual: '',
  earlyDays: '',
  lateDays: '',
  earlyIsLate: '',
  unit: '',
});

export function otdValuesOf(policy: OtdOverride | null): OtdValues {
  const text = (value: string | number | undefined) => (value === undefined ? '' : String(value));
  return {
    reference: text(policy?.reference),
    actual: text(policy?.actual),
    earlyDays: text(policy?.earlyDays),
    lateDays: text(policy?.lateDays),
    earlyIsLate: policy?.earlyIsLate === undefined ? '' : policy.earlyIsLate ? 'yes' : 'no',
    unit: text(policy?.unit),
  };
}

function windowProblem(value: string): string | null {
  if (value.trim() === '') return null;
  const days = Number(value.trim());
  if (!Number.isInteger(days) || days < 0 || days > OTD_WINDOW_MAX_DAYS)
    return `Whole days from 0 to ${OTD_WINDOW_MAX_DAYS}`;
  return null;
}

/** The customer's exceptions: only the parts that are their own; null for none. */
export function otdOverrideOf(values: OtdValues): OtdOverride | null {
  const policy: OtdOverride = {};
  if (values.reference !== '') policy.reference = values.reference as OtdOverride['reference'];
  if (values.actual !== '') policy.actual = values.actual as OtdOverride['actual'];
  if (values.earlyDays.trim() !== '') policy.earlyDays = Number(values.earlyDays.trim());
  if (values.lateDays.trim() !== '') policy.lateDays = Number(values.lateDays.trim());
  if (values.earlyIsLate !== '') policy.earlyIsLate = values.earlyIsLate === 'yes';
  if (values.unit !== '') policy.unit = values.unit as OtdOverride['unit'];
  return Object.keys(policy).length === 0 ? null : policy;
}

/** The exceptions in words, for the customer's page: "a day late counts · against the first promise". */
export function otdSummary(policy: OtdOverride | null): string[] {
  if (policy === null) return [];
  const days = (n: number) => (n === 1 ? 'a day' : `${n} days`);
  const parts: string[] = [];
  if (policy.reference !== undefined)
    parts.push(
      `Against the ${OTD_REFERENCES.find((r) => r.value === policy.reference)?.label.toLowerCase()}`,
    );
  if (policy.actual !== undefined) parts.push(`Counted when ${policy.actual}`);
  if (policy.earlyDays !== undefined) parts.push(`${days(policy.earlyDays)} early counts as on time`);
  if (policy.lateDays !== undefined) parts.push(`${days(policy.lateDays)} late counts as on time`);
  if (policy.earlyIsLate !== undefined)
    parts.push(policy.earlyIsLate ? 'Earlier than the window is not on time' : 'Early is on time');
  if (policy.unit !== undefined) parts.push(`Counted per ${policy.unit}`);
  return parts;
}

// ---- customers

export interface CustomerValues extends OtdValues {
  code: string;
  name: string;
  gln: string;
  email: string;
  phone: string;
  notes: string;
}

export const emptyCustomer = (): CustomerValues => ({
  code: '',
  name: '',
  gln: '',
  email: '',
  phone: '',
  notes: '',
  ...tenantOtd(),
});

export const customerValuesOf = (customer: Customer): CustomerValues => ({
  code: customer.code,
  name: customer.name,
  gln: customer.gln ?? '',
  email: customer.email,
  phone: customer.phone,
  notes: customer.notes,
  ...otdValuesOf(customer.otdPolicy),
});

/** The checks of logistics.customers.create and update, as the user types. */
export function validateCustomer(values: CustomerValues): FieldErrors {
  const errors: FieldErrors = {};
  check(errors, 'code', customerCodeProblem(values.code));
  check(errors, 'name', nameProblem(values.name));
  check(errors, 'gln', glnProblem(values.gln));
  if (values.email.trim() !== '') check(errors, 'email', emailProblem(values.email));
  check(errors, 'phone', tooLong(values.phone, 40));
  check(errors, 'notes', tooLong(values.notes, 10_000));
  check(errors, 'earlyDays', windowProblem(values.earlyDays));
  check(errors, 'lateDays', windowProblem(values.lateDays));
  return errors;
}

const orNull = (value: string) => (value === '' ? null : value);

export function newCustomerInput(values: CustomerValues) {
  return {
    code: values.code.trim(),
    name: values.name.trim(),
    gln: orNull(glnOf(values.gln)),
    email: values.email.trim(),
    phone: values.phone.trim(),
    notes: values.notes.trim(),
    otdPolicy: otdOverrideOf(values),
  };
}

/** The patch of logistics.customers.update: what differs from the customer as loaded; null for nothing. */
export function customerPatch(values: CustomerValues, customer: Customer): CustomerPatch | null {
  const next = newCustomerInput(values);
  const before = newCustomerInput(customerValuesOf(customer));
  const patch: CustomerPatch = {};
  for (const key of ['code', 'name', 'email', 'phone', 'notes'] as const)
    if (next[key] !== before[key]) patch[key] = next[key];
  if (next.gln !== before.gln) patch.gln = next.gln;
  if (JSON.stringify(next.otdPolicy) !== JSON.stringify(before.otdPolicy)) patch.otdPolicy = next.otdPolicy;
  return Object.keys(patch).length === 0 ? null : patch;
}

/** The form field a server error names: `patch.gln` → `gln`, `otdPolicy.lateDays` → `lateDays`. */
export const customerFieldOf = (path: string) => path.replace(/^patch\./, '').replace(/^otdPolicy\./, '');

// ---- ship-to addresses

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** The countries an address may be in, by their English names. */
export const COUNTRY_OPTIONS: readonly { value: string; label: string }[] = COUNTRY_CODES.map((code) => ({
  value: code,
  label: `${regionNames.of(code) ?? code} (${code})`,
})).sort((a, b) => a.label.localeCompare(b.label, 'en'));

export const countryName = (code: string) => regionNames.of(code) ?? code;

export interface AddressValues {
  label: string;
  name: string;
  street: string;
  street2: string;
  postalCode: string;
  city: string;
  region: string;
  country: string;
  gln: string;
}

export const emptyAddress = (): AddressValues => ({
  label: '',
  name: '',
  street: '',
  street2: '',
  postalCode: '',
  city: '',
  region: '',
  country: '',
  gln: '',
});

export const addressValuesOf = (address: Address): AddressValues => ({
  label: address.label,
  name: address.name,
  street: address.street,
  street2: address.street2,
  postalCode: address.postalCode,
  city: address.city,
  region: address.region,
  country: address.country,
  gln: address.gln ?? '',
});

export function validateAddress(values: AddressValues): FieldErrors {
  const errors: FieldErrors = {};
  const label = values.label.trim();
  if (label === '') errors.label = 'Enter a label';
  else check(errors, 'label', tooLong(label, 80));
  check(errors, 'name', nameProblem(values.name));
  for (const [key, max] of [
    ['street', 200],
    ['street2', 200],
    ['postalCode', 20],
    ['city', 100],
    ['region', 100],
  ] as const)
    check(errors, key, tooLong(values[key], max));
  if (!isCountryCode(values.country)) errors.country = 'Choose a country';
  check(errors, 'gln', glnProblem(values.gln));
  return errors;
}

export function addressInput(values: AddressValues) {
  return {
    label: values.label.trim(),
    name: values.name.trim(),
    street: values.street.trim(),
    street2: values.street2.trim(),
    postalCode: values.postalCode.trim(),
    city: values.city.trim(),
    region: values.region.trim(),
    country: values.country,
    gln: orNull(glnOf(values.gln)),
  };
}

/** An address on one line: "Hafenstraße 12, 20457 Hamburg, Germany". */
export function addressLine(
  address: Pick<Address, 'street' | 'street2' | 'postalCode' | 'city' | 'region' | 'country'>,
) {
  const place = [address.postalCode, address.city].filter((p) => p !== '').join(' ');
  return [address.street, address.street2, place, address.region, countryName(address.country)]
    .filter((p) => p !== '')
    .join(', ');
}

// ---- carriers

/** customer-rules.ts TRACKING_PLACEHOLDER. */
export const TRACKING_PLACEHOLDER = '{tracking}';

/** customer-rules.ts trackingUrlProblem; empty is none. */
export function trackingUrlProblem(value: string): string | null {
  const url = value.trim();
  if (url === '') return null;
  if (url.length > 500) return 'At most 500 characters';
  if (!url.includes(TRACKING_PLACEHOLDER))
    return `Put ${TRACKING_PLACEHOLDER} where the tracking number goes`;
  let parsed: URL;
  try {
    parsed = new URL(url.replaceAll(TRACKING_PLACEHOLDER, 'TRACKING'));
  } catch {
    return 'Not a web address';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return 'Use a web address starting with https:// or http://';
  return null;
}

export interface CarrierValues {
  code: string;
  name: string;
  trackingUrl: string;
}

export function validateCarrier(values: CarrierValues): FieldErrors {
  const errors: FieldErrors = {};
  check(errors, 'code', customerCodeProblem(values.code));
  check(errors, 'name', nameProblem(values.name));
  check(errors, 'trackingUrl', trackingUrlProblem(values.trackingUrl));
  return errors;
}

export const carrierInput = (values: CarrierValues) => ({
  code: values.code.trim(),
  name: values.name.trim(),
  trackingUrl: values.trackingUrl.trim(),
});
