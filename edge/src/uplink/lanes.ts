/*
 * Which uplink lane carries an outbox record (docs/architecture.md, "The uplink"). Every event of
 * one machine goes to the same lane, and a lane sends one batch at a time, so a machine's events
 * reach the cloud in the order the edge stored them however many lanes are in flight.
 *
 * The key is the machine's address, `plant/line/machine`. Records are the envelopes the ingress
 * wrote (`JSON.stringify` of toEnvelope's object: id, then plant, line and machine, in that order),
 * so the address is read straight from the bytes without parsing the JSON; a record of another shape
 * is parsed instead, and one that does not parse goes to lane 0 (the cloud rejects it either way).
 * Both ways give the same key, and so the same lane (lanes.test.ts).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const QUOTE = 0x22;
const SLASH = 0x2f;
const ID = Buffer.from('{"id":"');
const PLANT = Buffer.from('","plant":"');
const LINE = Buffer.from('","line":"');
const MACHINE = Buffer.from('","machine":"');

/** FNV-1a over the bytes start..end of `bytes`, continuing from `hash`. */
function fnv(hash: number, bytes: Buffer, start: number, end: number): number {
  let h = hash;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
  return h;
}

/**
 * Where the string value that starts at `at` ends (its closing quote), if `token` precedes `at`;
 * -1 otherwise, or when the value holds a backslash (an escape), which ids and codes never do, so
 * such a record is left to the parser.
 */
function valueAfter(body: Buffer, token: Buffer, tokenAt: number): number {
  if (tokenAt < 0 || !body.subarray(tokenAt, tokenAt + token.length).equals(token)) return -1;
  const at = tokenAt + token.length;
  const end = body.indexOf(QUOTE, at);
  if (end < 0 || body.subarray(at, end).includes(0x5c)) return -1;
  return end;
}

/**
 * The hash of `plant/line/machine` read from the record's leading bytes, `{"id":"…","plant":"…",
 * "line":"…","machine":"…"`: top-level keys only, never a key of the payload. Undefined when the
 * record does not start that way.
 */
function hashFromBytes(body: Buffer): number | undefined {
  const idEnd = valueAfter(body, ID, 0);
  const plantEnd = valueAfter(body, PLANT, idEnd);
  const lineEnd = valueAfter(body, LINE, plantEnd);
  const machineEnd = valueAfter(body, MACHINE, lineEnd);
  if (machineEnd < 0) return undefined;
  let h = fnv(FNV_OFFSET, body, idEnd + PLANT.length, plantEnd);
  h = fnv(Math.imul(h ^ SLASH, FNV_PRIME), body, plantEnd + LINE.length, lineEnd);
  return fnv(Math.imul(h ^ SLASH, FNV_PRIME), body, lineEnd + MACHINE.length, machineEnd);
}

/** The same hash from the parsed record; undefined when it is not an object with the three codes. */
function hashFromJson(body: Buffer): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { plant, line, machine } = parsed as Record<string, unknown>;
  if (typeof plant !== 'string' || typeof line !== 'string' || typeof machine !== 'string') return undefined;
  const key = Buffer.from(`${plant}/${line}/${machine}`);
  return fnv(FNV_OFFSET, key, 0, key.length);
}

/** The lane (0 ≤ lane < lanes) of an outbox record: the same for every record of one machine. */
export function laneOf(body: Buffer, lanes: number): number {
  if (lanes <= 1) return 0;
  const hash = hashFromBytes(body) ?? hashFromJson(body);
  return hash === undefined ? 0 : (hash >>> 0) % lanes;
}

/** For tests: the lane by the parser's reading alone. */
export function laneOfParsed(body: Buffer, lanes: number): number {
  const hash = hashFromJson(body);
  return hash === undefined ? 0 : (hash >>> 0) % lanes;
}
