import { type LabelData, type LabelDataInput, labelDataSchema } from '@plantline/schema/labels';

/** A full pallet's data for the label tests, and a bin's: every field a built-in template prints. */
export const palletData: LabelDataInput = {
  sscc: '106141411234567897',
  gtin: '09506000134352',
  description: 'Hazelnut spread 12 x 400 g',
  count: 40,
  lot: 'L2405A',
  bestBefore: '2026-12-31',
  expiry: '2027-01-31',
  po: '4500012345',
  serial: 'SN1001',
  shipFrom: { name: 'Riverside Foods', address: ['1 Mill Lane', 'Riverside'], gln: '9506000000015' },
  shipTo: { name: 'Metro DC North', address: ['Dock 4', 'Northtown'], gln: '9506000000022' },
  location: { code: 'RM-A-01-02', name: 'Rack A, bay 1', kind: 'bin', path: 'RM', gln: '9506000000015' },
  plant: { code: 'P1', name: 'Riverside Foods' },
};

export const labelData = (changes: Partial<LabelDataInput> = {}): LabelData =>
  labelDataSchema.parse({ ...palletData, ...changes });
