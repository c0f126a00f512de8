/*
 * Where a transition's arrow runs. States are boxes anywhere on the canvas, so an arrow leaves and
 * enters a box at the border facing the other box rather than at a fixed handle. Transitions between
 * the same two states (Approve and Reject, or Submit and Send back) bow apart so their labels do not
 * sit on each other; a transition from a state to itself is a loop on the state's right side.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface EdgeGeometry {
  /** An SVG path from the source's border to the target's. */
  path: string;
  labelX: number;
  labelY: number;
}

/** How far apart two transitions between the same states bow, in canvas pixels per step. */
export const BOW_STEP = 48;
const LOOP_REACH = 56;
const LOOP_STEP = 28;

export function centre(rect: Rect): Point {
  return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
}

/** The point where the line from the box's centre towards `towards` crosses the box's border. */
export function borderPoint(rect: Rect, towards: Point): Point {
  const c = centre(rect);
  const dx = towards.x - c.x;
  const dy = towards.y - c.y;
  if (dx === 0 && dy === 0) return c;
  const halfW = rect.width / 2;
  const halfH = rect.height / 2;
  // The smaller scale hits the nearer pair of sides.
  const scale = Math.min(
    dx === 0 ? Infinity : halfW / Math.abs(dx),
    dy === 0 ? Infinity : halfH / Math.abs(dy),
  );
  return { x: c.x + dx * scale, y: c.y + dy * scale };
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The arrow from `source` to `target`. `bow` is the transition's place among those between the same
 * two states (0 for a straight line; ±1, ±2… to either side), from `bowOffsets`.
 */
export function edgeGeometry(source: Rect, target: Rect, bow: number, self: boolean): EdgeGeometry {
  if (self) return loopGeometry(source, bow);
  const s = centre(source);
  const t = centre(target);
  const length = Math.hypot(t.x - s.x, t.y - s.y) || 1;
  // The normal to the left of the direction of travel: opposite directions bow to opposite sides.
  const normal = { x: -(t.y - s.y) / length, y: (t.x - s.x) / length };
  const control = {
    x: (s.x + t.x) / 2 + normal.x * bow * BOW_STEP,
    y: (s.y + t.y) / 2 + normal.y * bow * BOW_STEP,
  };
  const from = borderPoint(source, bow === 0 ? t : control);
  const to = borderPoint(target, bow === 0 ? s : control);
  // The middle of a quadratic curve (t = ½) is a quarter each of its ends and half its control point.
  const labelX = (from.x + to.x) / 4 + control.x / 2;
  const labelY = (from.y + to.y) / 4 + control.y / 2;
  const path =
    bow === 0
      ? `M ${round(from.x)} ${round(from.y)} L ${round(to.x)} ${round(to.y)}`
      : `M ${round(from.x)} ${round(from.y)} Q ${round(control.x)} ${round(control.y)} ${round(to.x)} ${round(to.y)}`;
  return { path, labelX: round(labelX), labelY: round(labelY) };
}

function loopGeometry(rect: Rect, bow: number): EdgeGeometry {
  const right = rect.x + rect.width;
  const top = rect.y + rect.height * 0.3;
  const bottom = rect.y + rect.height * 0.7;
  const reach = right + LOOP_REACH + Math.abs(bow) * LOOP_STEP;
  const path = `M ${round(right)} ${round(top)} C ${round(reach)} ${round(top - 24)} ${round(reach)} ${round(bottom + 24)} ${round(right)} ${round(bottom)}`;
  // A cubic's middle is ⅛ of each end and ⅜ of each control point.
  return { path, labelX: round(right / 4 + (reach * 3) / 4), labelY: round((top + bottom) / 2) };
}

/**
 * Each transition's bow: 0 when it is the only one between its two states (either way), otherwise
 * spread evenly around the straight line. Offsets are measured against one fixed direction of the
 * pair, so a transition the other way gets its sign flipped to stay on its own side. Loops on one
 * state are numbered 0, 1, 2… outwards.
 */
export function bowOffsets(
  transitions: readonly { key: string; from: string; to: string }[],
): Map<string, number> {
  const pairs = new Map<string, { key: string; reversed: boolean }[]>();
  for (const t of transitions) {
    const reversed = t.from > t.to;
    const pair = reversed ? `${t.to}\u0000${t.from}` : `${t.from}\u0000${t.to}`;
    const list = pairs.get(pair) ?? [];
    list.push({ key: t.key, reversed });
    pairs.set(pair, list);
  }
  const offsets = new Map<string, number>();
  for (const [pair, list] of pairs) {
    const [a, b] = pair.split('\u0000');
    list.forEach(({ key, reversed }, index) => {
      if (a === b) offsets.set(key, index);
      else {
        const offset = index - (list.length - 1) / 2;
        // `+ 0` turns −0 (a lone transition stated the other way) into 0.
        offsets.set(key, (reversed ? -offset : offset) + 0);
      }
    });
  }
  return offsets;
}
