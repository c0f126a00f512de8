import { describe, expect, it } from 'vitest';
import { emptyPlant, plantAddressLine, plantInput, validatePlantValues } from './plants';

const zones = ['Europe/Berlin', 'UTC'];
const riverside = {
  ...emptyPlant('Europe/Berlin'),
  code: 'RIV',
  name: 'Riverside',
  street: 'Am Flusshafen 12',
  postalCode: '68159',
  city: 'Mannheim',
  country: 'DE',
  gln: '9521234 000013',
};

describe('a plant in the admin form', () => {
  it('takes an address and a GLN, or none of them', () => {
    expect(validatePlantValues(riverside, zones)).toEqual({});
    expect(validatePlantValues({ ...emptyPlant('UTC'), code: 'P1', name: 'Plant' }, zones)).toEqual({});
  });

  it('names a bad country, a GLN with a wrong check digit and a too long postal code', () => {
    expect(
      validatePlantValues(
        { ...riverside, country: 'XX', gln: '9521234000014', postalCode: '1'.repeat(21) },
        zones,
      ),
    ).toEqual({
      country: 'Choose a country',
      gln: 'Wrong check digit: a GLN starting 952123400001 ends in 3',
      postalCode: 'At most 20 characters',
    });
    expect(validatePlantValues({ ...riverside, gln: '95212340' }, zones)).toEqual({
      gln: 'A GLN has 13 digits',
    });
  });

  it('sends trimmed text and the GLN without spaces, null when empty', () => {
    expect(plantInput({ ...riverside, street: ' Am Flusshafen 12 ' })).toEqual({
      code: 'RIV',
      name: 'Riverside',
      timezone: 'Europe/Berlin',
      street: 'Am Flusshafen 12',
      postalCode: '68159',
      city: 'Mannheim',
      country: 'DE',
      gln: '9521234000013',
    });
    expect(plantInput({ ...riverside, gln: ' ' }).gln).toBeNull();
  });

  it('reads its address as one line', () => {
    expect(plantAddressLine(riverside)).toBe('Am Flusshafen 12, 68159 Mannheim, DE');
    expect(plantAddressLine({ street: '', postalCode: '', city: '', country: '' })).toBeNull();
  });
});
