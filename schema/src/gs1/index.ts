/*
 * GS1 data for scanning, packing and labels, shared by edge and cloud (docs/gs1.md): the AI table,
 * check digits, dates, the SSCC, one parser for scans, typed text and Digital Link URIs, and the
 * writers for labels.
 */
export type { Gs1AiDefinition, Gs1Component, Gs1Lint } from './ai-table.js';
export { GS1_AIS, gs1Ai } from './ai-table.js';
export { gs1CheckDigit, hasValidCheckDigit } from './check-digit.js';
export { parseGs1Date } from './dates.js';
export { parseGs1 } from './parse.js';
export type { SsccParts } from './sscc.js';
export { ssccFrom } from './sscc.js';
export type {
  Gs1Element,
  Gs1Error,
  Gs1ErrorCode,
  Gs1ParseOptions,
  Gs1ParseResult,
  Gs1Symbology,
  Gs1Syntax,
  Gs1WedgeSeparator,
} from './types.js';
export type { BracketedStringOptions } from './writers.js';
export { bracketedString, digitalLinkUri, elementString, GS, hasPredefinedLength } from './writers.js';
