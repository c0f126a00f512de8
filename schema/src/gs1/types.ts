/*
 * The shapes of GS1 data shared by the parser, the writers and their callers (docs/gs1.md).
 * An element is one Application Identifier with its value, exactly as carried in the barcode:
 * dates stay YYMMDD, measures keep their implied decimal point in the AI's last digit.
 */

/** One GS1 element string: an Application Identifier and its data field, e.g. `{ ai: '01', value: '09521234543213' }`. */
export type Gs1Element = { ai: string; value: string };

/**
 * Where the data came from, read from its AIM symbology identifier (ISO/IEC 15424; GS1 General
 * Specifications, "Symbology identifiers"). `none` is data without an identifier (typed, or
 * from a scanner that strips it); `plain` is a symbol that does not carry GS1 element strings
 * (`]C0`, `]d1`, `]Q1`, `]J0` and any other identifier), which may still carry a GS1 Digital Link URI.
 */
export type Gs1Symbology =
  | 'gs1-128'
  | 'gs1-datamatrix'
  | 'gs1-qr'
  | 'gs1-databar'
  | 'gs1-dotcode'
  | 'ean-upc'
  | 'plain'
  | 'none';

/** How the GS1 data was written: FNC1-separated element strings, the bracketed human-readable form, or a Digital Link URI. */
export type Gs1Syntax = 'element-string' | 'bracketed' | 'digital-link' | 'unknown';

/**
 * Why data was refused. The codes are stable: callers (the packing screens, the edge) branch on
 * them; the message is for people. docs/gs1.md lists each with an example.
 */
export type Gs1ErrorCode =
  | 'empty'
  | 'not_gs1'
  | 'unknown_ai'
  | 'bad_length'
  | 'bad_character'
  | 'bad_check_digit'
  | 'bad_date'
  | 'bad_value'
  | 'missing_fnc1'
  | 'invalid_pairing'
  | 'required_ai_missing'
  | 'duplicate_ai'
  | 'bad_digital_link';

/** One reason data was refused; `position` is the offset in the data given to `parseGs1`, where one applies. */
export type Gs1Error = { code: Gs1ErrorCode; message: string; ai?: string; position?: number };

export type Gs1ParseResult = {
  /** True when the data is valid GS1 data: no errors at all. */
  ok: boolean;
  symbology: Gs1Symbology;
  syntax: Gs1Syntax;
  /** The elements read, in the order of the data; also those with an invalid value, for display. */
  elements: Gs1Element[];
  errors: Gs1Error[];
};

/**
 * What a keyboard-wedge scanner types for FNC1 (the GS character, ASCII 29, has no key). `auto`
 * reads GS, then `#`, then the text `Alt029`, whichever the data contains first in that order
 * (docs/gs1.md, "Separators").
 */
export type Gs1WedgeSeparator = 'auto' | 'gs' | '#' | 'Alt029';

export type Gs1ParseOptions = {
  /** The reference for the century of YYMMDD dates (GS1 General Specifications §7.12); defaults to the current time. */
  now?: Date;
  /** How FNC1 is written in the data; defaults to `auto`. */
  separator?: Gs1WedgeSeparator;
};
