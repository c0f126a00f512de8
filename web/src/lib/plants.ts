import { isCountryCode } from '@plantline/schema';
import type { PlantRow } from './api-types';
import { glnOf, glnProblem } from './customers';
import { type FieldErrors, validatePlant } from './validation';

/*
 * A plant in the admin form: code, name, time zone, and the ship-from address and GLN that logistic
 * labels print (docs/labels.md), mirroring plantFields in cloud/src/modules/masterdata/plants.ts.
 */

export interface PlantValues {
  code: string;
  name: string;
  timezone: string;
  street: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2, or empty while not known. */
  country: string;
  gln: string;
}

export const emptyPlant = (timezone: string): PlantValues => ({
  code: '',
  name: '',
  timezone,
  street: '',
  postalCode: '',
  city: '',
  country: '',
  gln: '',
});

export const plantValuesOf = (plant: PlantRow): PlantValues => ({
  code: plant.code,
  name: plant.name,
  timezone: plant.timezone,
  street: plant.street,
  postalCode: plant.postalCode,
  city: plant.city,
  country: plant.country,
  gln: plant.gln ?? '',
});

const tooLong = (value: string, max: number) =>
  value.trim().length > max ? `At most ${max} characters` : null;

export function validatePlantValues(values: PlantValues, knownZones: readonly string[]): FieldErrors {
  const errors = validatePlant(values, knownZones);
  for (const [key, max] of [
    ['street', 200],
    ['postalCode', 20],
    ['city', 100],
  ] as const) {
    const problem = tooLong(values[key], max);
    if (problem !== null) errors[key] = problem;
  }
  if (values.country !== '' && !isCountryCode(values.country)) errors.country = 'Choose a country';
  const gln = glnProblem(values.gln);
  if (gln !== null) errors.gln = gln;
  return errors;
}

/** What the API takes: text trimmed, a GLN without the spaces typed between its digit groups, or null. */
export function plantInput(values: PlantValues) {
  const gln = glnOf(values.gln);
  return {
    code: values.code.trim(),
    name: values.name.trim(),
    timezone: values.timezone.trim(),
    street: values.street.trim(),
    postalCode: values.postalCode.trim(),
    city: values.city.trim(),
    country: values.country,
    gln: gln === '' ? null : gln,
  };
}

/** The plant's address as one line, or null while none is set. */
export function plantAddressLine(plant: Pick<PlantRow, 'street' | 'postalCode' | 'city' | 'country'>) {
  const town = [plant.postalCode, plant.city].filter((part) => part !== '').join(' ');
  const line = [plant.street, town, plant.country].filter((part) => part !== '').join(', ');
  return line === '' ? null : line;
}

/** Whether `plant` came from the plant list (with its address), not from the session's plants. */
export const hasAddress = <T extends { id: string }>(plant: T | PlantRow): plant is PlantRow =>
  'street' in plant;
