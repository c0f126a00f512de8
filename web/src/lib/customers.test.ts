import { describe, expect, it } from 'vitest';
import {
  addressInput,
  addressLine,
  COUNTRY_OPTIONS,
  type Customer,
  customerFieldOf,
  customerPatch,
  customerValuesOf,
  emptyAddress,
  emptyCustomer,
  glnProblem,
  newCustomerInput,
  otdOverrideOf,
  otdSummary,
  otdValuesOf,
  tenantOtd,
  trackingUrlProblem,
  validateAddress,
  validateCarrier,
  validateCustomer,
} from './customers';

/** A customer as logistics.customers.get returns it, with the fields a test names. */
function customer(fields: Partial<Customer> = {}): Customer {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    code: 'ACME',
    name: 'Acme',
    gln: null,
    email: '',
    phone: '',
    notes: '',
    otdPolicy: null,
    isActive: true,
    version: 1,
    createdAt: '2026-03-02T06:00:00.000Z',
    updatedAt: '2026-03-02T06:00:00.000Z',
    addresses: [],
    openRequests: [],
    moreOpenRequests: false,
    ...fields,
  } as Customer;
}

describe('a GLN as typed', () => {
  it('is checked as the cloud checks it, spaces dropped, empty for none', () => {
    expect(glnProblem('')).toBeNull();
    expect(glnProblem('0952876 00001 4')).toBeNull();
    expect(glnProblem('0952876000015')).toBe('Wrong check digit: a GLN starting 095287600001 ends in 4');
    expect(glnProblem('12345')).toBe('A GLN has 13 digits');
  });
});

describe('the customer form', () => {
  it('says what is wrong as the user types', () => {
    expect(validateCustomer({ ...emptyCustomer(), code: 'ACME', name: 'Acme' })).toEqual({});
    expect(
      validateCustomer({
        ...emptyCustomer(),
        code: 'has space',
        name: '',
        gln: '0952876000015',
        email: 'nope',
        lateDays: '31',
        earlyDays: '1.5',
      }),
    ).toEqual({
      code: 'Use 1–64 letters, digits and _ . - / (no spaces)',
      name: 'Enter a name',
      gln: 'Wrong check digit: a GLN starting 095287600001 ends in 4',
      email: 'Enter a valid email address',
      earlyDays: 'Whole days from 0 to 30',
      lateDays: 'Whole days from 0 to 30',
    });
  });

  it('sends only the OTD parts that are the customer’s own', () => {
    expect(otdOverrideOf(tenantOtd())).toBeNull();
    expect(otdOverrideOf({ ...tenantOtd(), lateDays: '2', earlyIsLate: 'no' })).toEqual({
      lateDays: 2,
      earlyIsLate: false,
    });
    expect(otdValuesOf({ reference: 'first_promised', earlyDays: 0 })).toEqual({
      ...tenantOtd(),
      reference: 'first_promised',
      earlyDays: '0',
    });
    expect(
      newCustomerInput({ ...emptyCustomer(), code: ' ACME ', name: 'Acme', gln: '0952876 000014' }),
    ).toEqual({
      code: 'ACME',
      name: 'Acme',
      gln: '0952876000014',
      email: '',
      phone: '',
      notes: '',
      otdPolicy: null,
    });
  });

  it('patches only what differs from the customer as loaded', () => {
    const loaded = customer({ gln: '0952876000014', otdPolicy: { lateDays: 1 } });
    expect(customerPatch(customerValuesOf(loaded), loaded)).toBeNull();
    expect(customerPatch({ ...customerValuesOf(loaded), name: 'Acme Ltd', gln: '' }, loaded)).toEqual({
      name: 'Acme Ltd',
      gln: null,
    });
    expect(customerPatch({ ...customerValuesOf(loaded), lateDays: '' }, loaded)).toEqual({ otdPolicy: null });
    expect(customerFieldOf('patch.otdPolicy.lateDays')).toBe('lateDays');
    expect(customerFieldOf('patch.gln')).toBe('gln');
  });

  it('reads the exceptions in words', () => {
    expect(otdSummary(null)).toEqual([]);
    expect(otdSummary({ reference: 'first_promised', lateDays: 1, earlyDays: 2, earlyIsLate: true })).toEqual(
      [
        'Against the first promised date',
        '2 days early counts as on time',
        'a day late counts as on time',
        'Earlier than the window is not on time',
      ],
    );
  });
});

describe('the address form', () => {
  it('needs a label, a name and a country, and checks the GLN', () => {
    expect(validateAddress(emptyAddress())).toEqual({
      label: 'Enter a label',
      name: 'Enter a name',
      country: 'Choose a country',
    });
    expect(
      validateAddress({
        ...emptyAddress(),
        label: 'Dock',
        name: 'Acme',
        country: 'DE',
        gln: '0952876000022',
      }),
    ).toEqual({ gln: 'Wrong check digit: a GLN starting 095287600002 ends in 1' });
    expect(validateAddress({ ...emptyAddress(), label: 'Dock', name: 'Acme', country: 'EU' }).country).toBe(
      'Choose a country',
    );
  });

  it('offers the countries by name and writes an address on one line', () => {
    expect(COUNTRY_OPTIONS).toHaveLength(249);
    expect(COUNTRY_OPTIONS.find((c) => c.value === 'DE')?.label).toBe('Germany (DE)');
    const input = addressInput({
      ...emptyAddress(),
      label: ' Main ',
      name: 'Acme',
      street: 'Hafenstraße 12',
      postalCode: '20457',
      city: 'Hamburg',
      country: 'DE',
    });
    expect(input).toMatchObject({ label: 'Main', gln: null, country: 'DE' });
    expect(addressLine(input)).toBe('Hafenstraße 12, 20457 Hamburg, Germany');
  });
});

describe('the carrier form', () => {
  it('wants a web address with {tracking}, or none', () => {
    expect(trackingUrlProblem('')).toBeNull();
    expect(trackingUrlProblem('https://track.example.com/?id={tracking}')).toBeNull();
    expect(trackingUrlProblem('https://track.example.com/')).toBe(
      'Put {tracking} where the tracking number goes',
    );
    expect(trackingUrlProblem('ftp://x/{tracking}')).toBe(
      'Use a web address starting with https:// or http://',
    );
    expect(validateCarrier({ code: '', name: 'DHL', trackingUrl: '' })).toEqual({ code: 'Enter a code' });
  });
});
