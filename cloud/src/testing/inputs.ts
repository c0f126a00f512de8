import { randomUUID } from 'node:crypto';
import type { z } from 'zod';

/*
 * Inputs for probing a procedure: a sample that passes its zod input schema, and variants of that
 * sample with one value replaced by something hostile. Failures of input validation are always
 * answered with 400 by tRPC, so the variants that matter pass validation and reach the code behind it.
 */

type Schema = z.core.$ZodType;
type Def = Schema['_zod']['def'] & Record<string, unknown>;
/** A place in an input: object keys and array indexes. */
export type InputPath = (string | number)[];

/** Ids of existing records, by the input key that names one (plantId, lineIds, …; `id` by the caller). */
export type IdsByKey = (key: string) => string | undefined;

/** Values that have broken servers: control characters, extremes, wrong shapes. */
export const HOSTILE_VALUES: readonly unknown[] = [
  'a\u0000b',
  '\u0001\u001b\u007f',
  '\ud800',
  'x'.repeat(3000),
  -1,
  2 ** 53 + 2,
  null,
  {},
];

/** More of them, for places that take anything (a default value, custom values, a filter's value). */
const OPEN_HOSTILE_VALUES: readonly unknown[] = [
  ...HOSTILE_VALUES,
  1e308,
  [],
  { a: { b: [1, { c: '\u0000' }] } },
  'infinity',
  '+275760-09-13T00:00:00Z',
];

/** The few tried at such places under each option of an enum beside them. */
const ENUM_OPEN_HOSTILE_VALUES: readonly unknown[] = ['a\u0000b', 1e308, { a: { b: ['\u0000'] } }];

const STRING_CANDIDATES = [
  'Sample text',
  // A GTIN with its check digit (GS1's example company prefix).
  '09521234543213',
  'UTC',
  '06:00',
  '#22c55e',
  'sample@test.plantline.local',
  '2026-03-02',
  '2026-W10',
  'N-{seq:4}',
  'correct horse battery staple',
  '0:1',
  // A notification kind, <area>.<event>.
  'sample.event',
  // A GLN (GS1 example prefix), a country, a carrier's tracking page.
  '0952876000014',
  'DE',
  'https://track.example.com/?id={tracking}',
];

/** Builds samples: strings and dates differ on every call, so codes do not collide and windows are ordered. */
export class InputSampler {
  private n = 0;
  /** Dates start tomorrow: some inputs want the future (an API key's expiry). */
  private readonly dateBase = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 86_400_000;
  constructor(private readonly idFor: IdsByKey) {}

  /**
   * The smallest valid input: optional values are left out (so that one hostile value at a time
   * is not refused for another's sake), except lists, whose items are places worth probing.
   */
  sample(schema: Schema, key = ''): unknown {
    const def = schema._zod.def as Def;
    switch (def.type) {
      case 'optional':
      case 'default':
        return isList(def.innerType as Schema) ? this.sample(def.innerType as Schema, key) : undefined;
      case 'nullable':
      case 'prefault':
      case 'readonly':
      case 'catch':
      case 'nonoptional':
        return this.sample(def.innerType as Schema, key);
      case 'pipe':
        return this.sample(def.in as Schema, key);
      case 'object': {
        const shape = def.shape as Record<string, Schema>;
        const smallest = Object.fromEntries(
          Object.entries(shape)
            .map(([k, s]) => [k, this.sample(s, k)])
            .filter(([, value]) => value !== undefined),
        );
        if (fits(schema, smallest)) return smallest;
        // A patch must change something: then every field is given.
        return Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, this.sample(required(s), k)]));
      }
      case 'array': {
        const itemKey = key.replace(/s$/, '');
        const items = [this.sample(def.element as Schema, itemKey)];
        // A list with a minimum length (a split into at least two parts) gets items until it fits.
        while (!fits(schema, items) && items.length < 5)
          items.push(this.sample(def.element as Schema, itemKey));
        return items;
      }
      case 'record':
        return {};
      // `a.and(b)` of two objects: one object that satisfies both.
      case 'intersection':
        return {
          ...(this.sample(def.left as Schema, key) as object),
          ...(this.sample(def.right as Schema, key) as object),
        };
      case 'union':
        return this.firstFitting(
          (def.options as Schema[]).map((option) => this.sample(option, key)),
          schema,
        );
      case 'enum':
        return Object.values(def.entries as Record<string, unknown>)[0];
      case 'literal':
        return (def.values as unknown[])[0];
      case 'boolean':
        return false;
      case 'number':
        return this.firstFitting([1, 10, 0.5, 0], schema);
      case 'date':
        return new Date(this.dateBase + ++this.n * 60_000).toISOString();
      case 'string': {
        const id = /ids?$/i.test(key) ? this.idFor(key) : undefined;
        const unique = `s${++this.n}`;
        return this.firstFitting(
          [...(id === undefined ? [] : [id]), unique, ...STRING_CANDIDATES, randomUUID()],
          schema,
        );
      }
      default:
        return 'x';
    }
  }

  private firstFitting(candidates: unknown[], schema: Schema): unknown {
    for (const candidate of candidates) if (fits(schema, candidate)) return candidate;
    return candidates[0];
  }
}

function required(schema: Schema): Schema {
  const def = schema._zod.def as Def;
  return def.type === 'optional' || def.type === 'default' ? required(def.innerType as Schema) : schema;
}

function isList(schema: Schema): boolean {
  const def = schema._zod.def as Def;
  if (def.type === 'array') return true;
  if (['optional', 'nullable', 'default', 'pipe'].includes(def.type))
    return isList((def.innerType ?? def.in) as Schema);
  return false;
}

export function fits(schema: Schema, value: unknown): boolean {
  return (schema as unknown as z.ZodType).safeParse(value).success;
}

/** Every place in a sample, with the schema that validates the value there. */
export function placesOf(schema: Schema, value: unknown, path: InputPath = []): [InputPath, Schema][] {
  const def = schema._zod.def as Def;
  const here: [InputPath, Schema][] = path.length === 0 ? [] : [[path, schema]];
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return [
        ...here,
        ...placesOf(def.innerType as Schema, value, path).filter(([p]) => p.length > path.length),
      ];
    case 'pipe':
      return [...here, ...placesOf(def.in as Schema, value, path).filter(([p]) => p.length > path.length)];
    case 'object': {
      if (value === undefined) value = {};
      if (typeof value !== 'object' || value === null) return here;
      const shape = def.shape as Record<string, Schema>;
      return [
        ...here,
        ...Object.entries(shape).flatMap(([k, s]) =>
          placesOf(s, (value as Record<string, unknown>)[k], [...path, k]),
        ),
      ];
    }
    case 'array':
      return Array.isArray(value) && value.length > 0
        ? [...here, ...placesOf(def.element as Schema, value[0], [...path, 0])]
        : here;
    case 'intersection':
      return [
        ...here,
        ...placesOf(def.left as Schema, value, path).filter(([p]) => p.length > path.length),
        ...placesOf(def.right as Schema, value, path).filter(([p]) => p.length > path.length),
      ];
    default:
      return here;
  }
}

/** Enum options at a place, for trying each (a field type changes which checks run). */
export function optionsAt(schema: Schema): unknown[] {
  const def = schema._zod.def as Def;
  if (def.type === 'enum') return Object.values(def.entries as Record<string, unknown>);
  if (['optional', 'nullable', 'default'].includes(def.type)) return optionsAt(def.innerType as Schema);
  return [];
}

/** The input with the value at `path` replaced. */
export function replaceAt(input: unknown, path: InputPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...InputPath];
  const copy = (Array.isArray(input) ? [...input] : { ...(input as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head] = replaceAt(copy[head], rest, value);
  return copy;
}

/** Whether a place takes a record of custom values (keys are field keys, values anything). */
export function isRecord(schema: Schema): boolean {
  const def = schema._zod.def as Def;
  if (def.type === 'record') return true;
  if (['optional', 'nullable', 'default', 'pipe'].includes(def.type))
    return isRecord((def.innerType ?? def.in) as Schema);
  return false;
}

/** At most this many options of one enum are tried (a permission list has dozens). */
const MAX_OPTIONS = 12;

/**
 * The inputs to send: the valid sample, then the sample with one value replaced by each hostile
 * value, each other enum option and ids of nothing or of the other tenant; at places that take
 * anything (a default value, a filter's value) also under each option of an enum beside them (the
 * field's type, the filter's operator), which decides how the value is read. Only
 * replacements that pass validation are kept, each once.
 */
export function probeInputs(schema: Schema, valid: unknown, foreignId: IdsByKey): unknown[] {
  const inputs = new Map<string, unknown>();
  const keep = (input: unknown) => {
    if (fits(schema, input)) inputs.set(JSON.stringify(input), input);
  };
  keep(valid);
  const places = placesOf(schema, valid);
  const open = places.filter(([, s]) => takesAnything(s));
  for (const [place, placeSchema] of places) {
    const key = String(place.findLast((part) => typeof part === 'string') ?? '').replace(/Ids$/, 'Id');
    const foreign = foreignId(key);
    const replacements = [
      ...(takesAnything(placeSchema) ? OPEN_HOSTILE_VALUES : HOSTILE_VALUES),
      ...optionsAt(placeSchema).slice(0, MAX_OPTIONS),
      randomUUID(),
      ...(foreign === undefined ? [] : [foreign]),
    ];
    for (const value of replacements) keep(replaceAt(valid, place, value));
    for (const option of optionsAt(placeSchema).slice(1, MAX_OPTIONS)) {
      const base = replaceAt(valid, place, option);
      for (const [openPlace, openSchema] of open.filter(([p]) => isSibling(p, place)))
        for (const value of ENUM_OPEN_HOSTILE_VALUES)
          keep(replaceAt(base, openPlace, anything(openSchema, value)));
    }
    if (isRecord(placeSchema))
      for (const value of OPEN_HOSTILE_VALUES) keep(replaceAt(valid, place, anything(placeSchema, value)));
  }
  return [...inputs.values()];
}

const isSibling = (a: InputPath, b: InputPath) =>
  a.length === b.length && a.slice(0, -1).every((part, i) => part === b[i]);

/** Custom fields a probe's world defines on every entity type, one per kind of value. */
export const PROBE_FIELD_KEYS = ['note_text', 'weight', 'colour', 'due', 'linked'];

/** A value for a place that takes anything: custom values get it under every probe field's key. */
function anything(schema: Schema, value: unknown): unknown {
  return isRecord(schema) ? Object.fromEntries(PROBE_FIELD_KEYS.map((k) => [k, value])) : value;
}

function takesAnything(schema: Schema): boolean {
  const def = schema._zod.def as Def;
  if (def.type === 'unknown' || def.type === 'any' || def.type === 'record') return true;
  if (['optional', 'nullable', 'default', 'pipe'].includes(def.type))
    return takesAnything((def.innerType ?? def.in) as Schema);
  return false;
}
