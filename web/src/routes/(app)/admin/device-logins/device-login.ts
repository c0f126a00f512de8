import { DEVICE_USERNAME_PATTERN } from '@plantline/schema';
import type { FieldErrors } from '$lib/validation';

export interface DeviceLoginValues {
  username: string;
  plantId: string;
  lineId: string;
  machineId: string;
}

/** The API's rules (cloud/src/modules/devices/device-credentials.router.ts), checked as the user types. */
export function validateDeviceLogin(values: DeviceLoginValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!DEVICE_USERNAME_PATTERN.test(values.username.trim())) {
    errors.username = 'Use 1–64 of A–Z a–z 0–9 _ . @ -';
  }
  if (values.plantId === '') errors.plantId = 'Choose a plant';
  if (values.machineId !== '' && values.lineId === '') errors.lineId = 'Choose the line';
  return errors;
}

/** The topics a login may publish to, as the edge checks them. */
export function topicScope(scope: {
  plantCode: string;
  lineCode: string | null;
  machineCode: string | null;
}) {
  const parts = [scope.plantCode, scope.lineCode, scope.lineCode ? scope.machineCode : null].filter(
    (part): part is string => part !== null,
  );
  return `plantline/v1/${parts.join('/')}/…`;
}
