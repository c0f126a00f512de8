/**
 * A Zebra printer's answer to `~HS` (host status return), as the ZPL II Programming Guide lays it out:
 * three strings, each framed by STX (0x02) and ETX (0x03) and followed by CR LF.
 *
 *   1: aaa,b,c,dddd,eee,f,g,h,iii,j,k,l — b paper out, c paused, eee formats in the receive buffer,
 *      f receive buffer full, j corrupt RAM, k under temperature, l over temperature
 *   2: mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www — o head up (open), p ribbon out, t label waiting to be taken,
 *      uuuuuuuu labels remaining in the batch
 *   3: xxxx,y — password and static RAM (not used here)
 */
export interface PrinterStatus {
  paperOut: boolean;
  paused: boolean;
  headOpen: boolean;
  ribbonOut: boolean;
  bufferFull: boolean;
  corruptRam: boolean;
  underTemperature: boolean;
  overTemperature: boolean;
  /** A printed label is waiting to be taken (peel-off mode); the next one follows once it is. */
  labelWaiting: boolean;
  formatsInBuffer: number;
  labelsRemaining: number;
  /** The reasons the printer will not print now, in words for an operator; empty when it will. */
  problems: string[];
}

const STX = '\u0002';
const ETX = '\u0003';

/** The frames received so far, or undefined while the answer is incomplete. */
export function hostStatusFrames(received: string): string[] | undefined {
  const frames: string[] = [];
  let at = 0;
  while (frames.length < 3) {
    const start = received.indexOf(STX, at);
    if (start < 0) return undefined;
    const end = received.indexOf(ETX, start + 1);
    if (end < 0) return undefined;
    frames.push(received.slice(start + 1, end));
    at = end + 1;
  }
  return frames;
}

export class HostStatusError extends Error {
  override readonly name = 'HostStatusError';
}

/** Parses the three frames; a frame with too few fields means this is not a ~HS answer. */
export function parseHostStatus(frames: readonly string[]): PrinterStatus {
  const first = (frames[0] ?? '').split(',');
  const second = (frames[1] ?? '').split(',');
  if (first.length < 12 || second.length < 11) {
    throw new HostStatusError(
      `not a ~HS answer: expected 12 and 11 fields, got ${first.length} and ${second.length}`,
    );
  }
  const flag = (fields: string[], index: number) => fields[index]?.trim() === '1';
  const count = (fields: string[], index: number) => {
    const value = Number.parseInt(fields[index]?.trim() ?? '', 10);
    if (!Number.isFinite(value))
      throw new HostStatusError(`not a ~HS answer: field ${index + 1} is not a number`);
    return value;
  };
  const status: Omit<PrinterStatus, 'problems'> = {
    paperOut: flag(first, 1),
    paused: flag(first, 2),
    formatsInBuffer: count(first, 4),
    bufferFull: flag(first, 5),
    corruptRam: flag(first, 9),
    underTemperature: flag(first, 10),
    overTemperature: flag(first, 11),
    headOpen: flag(second, 2),
    ribbonOut: flag(second, 3),
    labelWaiting: flag(second, 7),
    labelsRemaining: count(second, 8),
  };
  return { ...status, problems: problemsOf(status) };
}

const problemText: [keyof Omit<PrinterStatus, 'problems'>, string][] = [
  ['paperOut', 'paper out'],
  ['headOpen', 'head open'],
  ['ribbonOut', 'ribbon out'],
  ['paused', 'paused'],
  ['bufferFull', 'receive buffer full'],
  ['corruptRam', 'memory corrupt'],
  ['underTemperature', 'head too cold'],
  ['overTemperature', 'head too hot'],
];

function problemsOf(status: Omit<PrinterStatus, 'problems'>): string[] {
  return problemText.filter(([key]) => status[key] === true).map(([, text]) => text);
}
