/*
 * The Serial Shipping Container Code (GS1 General Specifications, "Serial Shipping Container Code
 * (SSCC)", AI (00)): an extension digit, the GS1 Company Prefix, a serial reference filling the rest of
 * the 17 data digits, and the check digit (§7.9.1) — 18 digits, carried in AI (00).
 */
import { gs1CheckDigit } from './check-digit.js';

export type SsccParts = {
  /** 0–9, chosen by the company to enlarge the serial range. */
  extensionDigit: number;
  /** The GS1 Company Prefix, 4 to 12 digits. */
  companyPrefix: string;
  /** The serial reference, zero-padded on the left to fill the 16 − prefix-length digits left. */
  serialReference: string | number | bigint;
};

/** The 18-digit SSCC of the parts. Throws a RangeError on a part that is not digits or does not fit. */
export function ssccFrom({ extensionDigit, companyPrefix, serialReference }: SsccParts): string {
  if (!Number.isInteger(extensionDigit) || extensionDigit < 0 || extensionDigit > 9)
    throw new RangeError(`An SSCC extension digit is 0 to 9, not ${extensionDigit}`);
  if (!/^\d{4,12}$/.test(companyPrefix))
    throw new RangeError(`A GS1 Company Prefix is 4 to 12 digits, not "${companyPrefix}"`);
  const serial = String(serialReference);
  if (!/^\d+$/.test(serial)) throw new RangeError(`An SSCC serial reference is digits, not "${serial}"`);
  const width = 16 - companyPrefix.length;
  const digits = serial.replace(/^0+(?=\d)/, '');
  if (digits.length > width)
    throw new RangeError(
      `Serial reference ${serial} does not fit the ${width} digits left by a ${companyPrefix.length}-digit company prefix`,
    );
  const data = `${extensionDigit}${companyPrefix}${digits.padStart(width, '0')}`;
  return `${data}${gs1CheckDigit(data)}`;
}
