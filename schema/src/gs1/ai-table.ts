/*
 * The GS1 Application Identifiers Plantline reads and writes, as data. Each row follows the GS1
 * General Specifications, "GS1 Application Identifier definitions", and the entry of the same AI
 * in the GS1 Barcode Syntax Dictionary (gs1/gs1-syntax-dictionary), whose notation the format column
 * keeps: `N14,csum` is 14 digits with a check digit, `X..20` up to 20 characters of CSET 82,
 * `[X..17]` an optional last part, several parts for AIs made of sub-fields (7003 is a date then a
 * time). docs/gs1.md lists the table for readers.
 */

/**
 * Content checks run on one part of a value (the Syntax Dictionary's "linters"): `csum` the GS1 check
 * digit, `yymmdd` a date, `yymmd0` a date whose day may be 00, `hhmi` a time of day,
 * `pieceoftotal` a piece number not above its total, neither zero (AI 8006, "Identification of an
 * individual trade item piece").
 */
export type Gs1Lint = 'csum' | 'yymmdd' | 'yymmd0' | 'hhmi' | 'pieceoftotal';

/** One part of an AI's data field: digits (N) or CSET 82 characters (X), of a fixed or a maximum length. */
export type Gs1Component = {
  charset: 'N' | 'X';
  minLength: number;
  maxLength: number;
  optional: boolean;
  lints: readonly Gs1Lint[];
};

export type Gs1AiDefinition = {
  ai: string;
  title: string;
  /** The format in the Syntax Dictionary's notation, e.g. `N6,yymmdd N4,hhmi`. */
  spec: string;
  components: readonly Gs1Component[];
  /**
   * Whether the AI is in the figure "Element strings with predefined length using GS1 Application
   * Identifiers" (General Specifications, "Concatenation"): the prefixes 00–04, 11–20, 31–36 and 41. No FNC1 follows these. An AI of fixed
   * length outside that table (7003, 8006, 8018) still needs one.
   */
  predefinedLength: boolean;
  /** For measures (31nn–36nn): the AI's last digit places the decimal point, counted from the right. */
  decimalPointInAi: boolean;
  /** Whether a Digital Link URI may carry the AI as a query attribute (the Syntax Dictionary's `?` flag). */
  digitalLinkAttribute: boolean;
  /** For a Digital Link primary key: the ordered qualifier sequences it accepts (one or more alternatives). */
  digitalLinkKey: readonly (readonly string[])[] | null;
  /** Mandatory associations ("Mandatory association of element strings"): at least one group must be present in full; `n` matches any digit. */
  requires: readonly (readonly string[])[];
  /** Invalid pairs ("Invalid pairs of element strings"): AIs (or patterns) that must not appear with this one. */
  excludes: readonly string[];
};

/** One line of the table below, in the Syntax Dictionary's shorthand. */
type Row = {
  title: string;
  spec: string;
  /** The dictionary's `*` flag: predefined length. */
  predefined?: true;
  /** The dictionary's `?` flag: allowed as a Digital Link query attribute. */
  attribute?: true;
  /** `dlpkey`: a primary key; its qualifier sequences, `|` between alternatives, '' for none. */
  key?: string;
  /** `req=`: groups separated by `,`, AIs within a group by `+`. */
  req?: string;
  /** `ex=`: AIs or patterns separated by `,`. */
  ex?: string;
};

const COMPONENT = /^(\[)?([NX])(\.\.)?(\d+)(\]?)((?:,[a-z0-9]+)*)$/;
const LINTS: readonly string[] = ['csum', 'yymmdd', 'yymmd0', 'hhmi', 'pieceoftotal'] satisfies Gs1Lint[];

function isLint(name: string): name is Gs1Lint {
  return LINTS.includes(name);
}

/** Reads a format in the Syntax Dictionary's notation; throws on a typo in the table below. */
export function parseSpec(spec: string): Gs1Component[] {
  return spec.split(/\s+/).map((part) => {
    const match = COMPONENT.exec(part);
    if (!match) throw new Error(`Bad GS1 format part "${part}"`);
    const [, open, charset, variable, length, close, lintList] = match;
    if (Boolean(open) !== Boolean(close)) throw new Error(`Unbalanced optional part "${part}"`);
    const lints = (lintList ?? '').split(',').filter((name) => name !== '');
    for (const name of lints) if (!isLint(name)) throw new Error(`Unknown GS1 lint "${name}"`);
    return {
      charset: charset === 'N' ? 'N' : 'X',
      minLength: variable ? 1 : Number(length),
      maxLength: Number(length),
      optional: Boolean(open),
      lints: lints.filter(isLint),
    };
  });
}

const ANY_TRADE_ITEM = '01,02,03,8006,8026';

/** The AIs other than measures; a range row (91–99) stands for every AI it spans. */
const ROWS: Record<string, Row> = {
  '00': { title: 'SSCC', spec: 'N18,csum', predefined: true, attribute: true, key: '' },
  '01': {
    title: 'GTIN',
    spec: 'N14,csum',
    predefined: true,
    attribute: true,
    key: '22,10,21|235',
    ex: '255,37',
  },
  '02': { title: 'CONTENT', spec: 'N14,csum', predefined: true, attribute: true, req: '37', ex: '01,03' },
  '03': { title: 'MTO GTIN', spec: 'N14,csum', predefined: true, ex: '01,02,37,235' },
  '10': { title: 'BATCH/LOT', spec: 'X..20', attribute: true, req: ANY_TRADE_ITEM },
  '11': { title: 'PROD DATE', spec: 'N6,yymmd0', predefined: true, attribute: true, req: ANY_TRADE_ITEM },
  '12': { title: 'DUE DATE', spec: 'N6,yymmd0', predefined: true, attribute: true, req: '8020' },
  '13': { title: 'PACK DATE', spec: 'N6,yymmd0', predefined: true, attribute: true, req: ANY_TRADE_ITEM },
  '15': {
    title: 'BEST BEFORE or BEST BY',
    spec: 'N6,yymmd0',
    predefined: true,
    attribute: true,
    req: ANY_TRADE_ITEM,
  },
  '16': { title: 'SELL BY', spec: 'N6,yymmd0', predefined: true, attribute: true, req: ANY_TRADE_ITEM },
  '17': {
    title: 'USE BY or EXPIRY',
    spec: 'N6,yymmd0',
    predefined: true,
    attribute: true,
    req: '01,02,03,255,8006,8026',
  },
  '20': { title: 'VARIANT', spec: 'N2', predefined: true, attribute: true, req: ANY_TRADE_ITEM },
  '21': { title: 'SERIAL', spec: 'X..20', req: '01,03,8006', ex: '235' },
  '22': { title: 'CPV', spec: 'X..20', req: '01' },
  '235': { title: 'TPX', spec: 'X..28', req: '01' },
  '240': { title: 'ADDITIONAL ID', spec: 'X..30', attribute: true, req: ANY_TRADE_ITEM },
  '241': { title: 'CUST. PART No.', spec: 'X..30', attribute: true, req: ANY_TRADE_ITEM },
  '250': { title: 'SECONDARY SERIAL', spec: 'X..30', attribute: true, req: '01+21,03+21,8006+21' },
  '251': { title: 'REF. TO SOURCE', spec: 'X..30', attribute: true, req: '01,03,8006' },
  '253': { title: 'GDTI', spec: 'N13,csum [X..17]', attribute: true, key: '' },
  '254': { title: 'GLN EXTENSION COMPONENT', spec: 'X..20', req: '414' },
  '255': {
    title: 'GCN',
    spec: 'N13,csum [N..12]',
    attribute: true,
    key: '',
    ex: '01,02,415,8006,8020,8026',
  },
  '30': { title: 'VAR. COUNT', spec: 'N..8', attribute: true, req: '01,02' },
  '37': { title: 'COUNT', spec: 'N..8', attribute: true, req: '00+02,00+8026' },
  '400': { title: 'ORDER NUMBER', spec: 'X..30', attribute: true },
  '401': { title: 'GINC', spec: 'X..30', attribute: true, key: '' },
  '402': { title: 'GSIN', spec: 'N17,csum', attribute: true, key: '' },
  '403': { title: 'ROUTE', spec: 'X..30', attribute: true, req: '00' },
  '410': { title: 'SHIP TO LOC', spec: 'N13,csum', predefined: true, attribute: true },
  '411': { title: 'BILL TO', spec: 'N13,csum', predefined: true, attribute: true },
  '412': { title: 'PURCHASE FROM', spec: 'N13,csum', predefined: true, attribute: true },
  '413': { title: 'SHIP FOR LOC', spec: 'N13,csum', predefined: true, attribute: true },
  '414': { title: 'LOC No.', spec: 'N13,csum', predefined: true, attribute: true, key: '254|7040' },
  '415': { title: 'PAY TO', spec: 'N13,csum', predefined: true, attribute: true, key: '8020', req: '8020' },
  '416': { title: 'PROD/SERV LOC', spec: 'N13,csum', predefined: true, attribute: true },
  '417': { title: 'PARTY', spec: 'N13,csum', predefined: true, attribute: true, key: '7040' },
  '420': { title: 'SHIP TO POST', spec: 'X..20', attribute: true, ex: '421' },
  '421': { title: 'SHIP TO POST', spec: 'N3 X..9', attribute: true, ex: '4307' },
  '422': { title: 'ORIGIN', spec: 'N3', attribute: true, req: ANY_TRADE_ITEM, ex: '426' },
  '7003': { title: 'EXPIRY TIME', spec: 'N6,yymmdd N4,hhmi', attribute: true, req: '01,02,03' },
  '8006': {
    title: 'ITIP',
    spec: 'N14,csum N4,pieceoftotal',
    attribute: true,
    key: '22,10,21',
    ex: '01,03,37',
  },
  '8017': { title: 'GSRN - PROVIDER', spec: 'N18,csum', attribute: true, key: '8019', ex: '8018' },
  '8018': { title: 'GSRN - RECIPIENT', spec: 'N18,csum', attribute: true, key: '8019', ex: '8017' },
  '8019': { title: 'SRIN', spec: 'N..10', req: '8017,8018' },
  '8020': { title: 'REF No.', spec: 'X..25', req: '415' },
  '8026': {
    title: 'ITIP CONTENT',
    spec: 'N14,csum N4,pieceoftotal',
    attribute: true,
    req: '37',
    ex: '02,03,8006',
  },
  '90': { title: 'INTERNAL', spec: 'X..30', attribute: true },
  '91-99': { title: 'INTERNAL', spec: 'X..90', attribute: true },
};

/**
 * Trade and logistic measures (General Specifications, "Trade measures", "Logistic measures"): the fourth digit
 * is the number of decimals (0–5); trade measures need a trade item, logistic ones the unit's SSCC or
 * a GTIN, and one measure must not appear with two decimal positions (the `ex=310n` entries).
 */
const MEASURES: readonly (readonly [string, string, 'trade' | 'logistic' | 'per-area'])[] = [
  ['310', 'NET WEIGHT (kg)', 'trade'],
  ['311', 'LENGTH (m)', 'trade'],
  ['312', 'WIDTH (m)', 'trade'],
  ['313', 'HEIGHT (m)', 'trade'],
  ['314', 'AREA (m²)', 'trade'],
  ['315', 'NET VOLUME (l)', 'trade'],
  ['316', 'NET VOLUME (m³)', 'trade'],
  ['320', 'NET WEIGHT (lb)', 'trade'],
  ['321', 'LENGTH (in)', 'trade'],
  ['322', 'LENGTH (ft)', 'trade'],
  ['323', 'LENGTH (yd)', 'trade'],
  ['324', 'WIDTH (in)', 'trade'],
  ['325', 'WIDTH (ft)', 'trade'],
  ['326', 'WIDTH (yd)', 'trade'],
  ['327', 'HEIGHT (in)', 'trade'],
  ['328', 'HEIGHT (ft)', 'trade'],
  ['329', 'HEIGHT (yd)', 'trade'],
  ['330', 'GROSS WEIGHT (kg)', 'logistic'],
  ['331', 'LENGTH (m), log', 'logistic'],
  ['332', 'WIDTH (m), log', 'logistic'],
  ['333', 'HEIGHT (m), log', 'logistic'],
  ['334', 'AREA (m²), log', 'logistic'],
  ['335', 'VOLUME (l), log', 'logistic'],
  ['336', 'VOLUME (m³), log', 'logistic'],
  ['337', 'KG PER m²', 'per-area'],
  ['340', 'GROSS WEIGHT (lb)', 'logistic'],
  ['341', 'LENGTH (in), log', 'logistic'],
  ['342', 'LENGTH (ft), log', 'logistic'],
  ['343', 'LENGTH (yd), log', 'logistic'],
  ['344', 'WIDTH (in), log', 'logistic'],
  ['345', 'WIDTH (ft), log', 'logistic'],
  ['346', 'WIDTH (yd), log', 'logistic'],
  ['347', 'HEIGHT (in), log', 'logistic'],
  ['348', 'HEIGHT (ft), log', 'logistic'],
  ['349', 'HEIGHT (yd), log', 'logistic'],
  ['350', 'AREA (in²)', 'trade'],
  ['351', 'AREA (ft²)', 'trade'],
  ['352', 'AREA (yd²)', 'trade'],
  ['353', 'AREA (in²), log', 'logistic'],
  ['354', 'AREA (ft²), log', 'logistic'],
  ['355', 'AREA (yd²), log', 'logistic'],
  ['356', 'NET WEIGHT (tr oz)', 'trade'],
  ['357', 'NET VOLUME (oz)', 'trade'],
  ['360', 'NET VOLUME (qt (US))', 'trade'],
  ['361', 'NET VOLUME (gal.)', 'trade'],
  ['362', 'VOLUME (qt (US)), log', 'logistic'],
  ['363', 'VOLUME (gal (US)), log', 'logistic'],
  ['364', 'NET VOLUME (in³)', 'trade'],
  ['365', 'NET VOLUME (ft³)', 'trade'],
  ['366', 'NET VOLUME (yd³)', 'trade'],
  ['367', 'VOLUME (in³), log', 'logistic'],
  ['368', 'VOLUME (ft³), log', 'logistic'],
  ['369', 'VOLUME (yd³), log', 'logistic'],
];

const MEASURE_REQUIRES = { trade: '01,02', logistic: '00,01', 'per-area': '01' } as const;

const groups = (list: string | undefined): string[][] =>
  list === undefined || list === '' ? [] : list.split(',').map((group) => group.split('+'));

function define(ai: string, row: Row, decimalPointInAi = false): Gs1AiDefinition {
  return {
    ai,
    title: row.title,
    spec: row.spec,
    components: parseSpec(row.spec),
    predefinedLength: row.predefined === true,
    decimalPointInAi,
    digitalLinkAttribute: row.attribute === true,
    digitalLinkKey:
      row.key === undefined ? null : row.key.split('|').map((seq) => (seq ? seq.split(',') : [])),
    requires: groups(row.req),
    excludes: row.ex === undefined ? [] : row.ex.split(','),
  };
}

function buildTable(): ReadonlyMap<string, Gs1AiDefinition> {
  const table = new Map<string, Gs1AiDefinition>();
  for (const [ais, row] of Object.entries(ROWS)) {
    const [first, last = first] = ais.split('-');
    for (let n = Number(first); n <= Number(last); n++) {
      const ai = String(n).padStart(first?.length ?? 2, '0');
      table.set(ai, define(ai, row));
    }
  }
  for (const [base, title, kind] of MEASURES)
    for (let decimals = 0; decimals <= 5; decimals++) {
      const ai = `${base}${decimals}`;
      const row: Row = { title, spec: 'N6', predefined: true, attribute: true, req: MEASURE_REQUIRES[kind] };
      table.set(ai, define(ai, { ...row, ex: `${base}n` }, true));
    }
  return new Map([...table].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Every AI Plantline knows, by AI, in the order of the AIs as text ((00), (01), …, (99)). */
export const GS1_AIS: ReadonlyMap<string, Gs1AiDefinition> = buildTable();

/** The definition of `ai`, or undefined for an AI outside the table. */
export function gs1Ai(ai: string): Gs1AiDefinition | undefined {
  return GS1_AIS.get(ai);
}

/** Whether `ai` matches `pattern`, where `n` stands for any digit (`310n`, `31nn`). */
export function aiMatches(ai: string, pattern: string): boolean {
  if (ai.length !== pattern.length) return false;
  for (let i = 0; i < ai.length; i++) if (pattern[i] !== 'n' && pattern[i] !== ai[i]) return false;
  return true;
}

/** The total length range of an AI's value: the sum of its parts, optional parts counting zero. */
export function valueLength(definition: Gs1AiDefinition): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const part of definition.components) {
    if (!part.optional) min += part.minLength;
    max += part.maxLength;
  }
  return { min, max };
}
