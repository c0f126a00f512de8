import { describe, expect, it } from 'vitest';
import { parseLineOrders } from './line-orders';
import { demoPlantLayout, PlantModel, type SimEvent } from './plant-model';

/*
 * The plant's own orders in the simulator (docs/demo.md, "Materials and stock"): a line's last
 * machine counts its parts for the order it is given — that order's number and product — until it
 * has made the good parts asked for, then changes over and goes on with its own numbers. The other
 * machines keep theirs, and the option is refused when it is not what it should be.
 */

const HOUR = 3_600_000;

function run(model: PlantModel, duration: number): SimEvent[] {
  const events: SimEvent[] = [];
  for (let event = model.next(); event.at < duration; event = model.next()) events.push(event);
  return events;
}

const ofMachine = (events: SimEvent[], line: string, machine: string) =>
  events.filter((e) => e.topic.endsWith(`/${line}/${machine}/${e.kind}`));

describe('a line given an order of the plant', () => {
  const order = { number: 'PO-RIV-2026-00002', product: 'BRK-200', quantity: 40 };
  const events = run(new PlantModel(demoPlantLayout('RIV'), 7, { orders: { L1: order } }), 12 * HOUR);

  it('counts its last machine’s good parts for the order until they are made, then changes over', () => {
    const last = ofMachine(events, 'L1', 'M5');
    const counts = last.filter((e): e is SimEvent<'count'> => e.kind === 'count');
    const forOrder = counts.filter((e) => e.payload.order === order.number);
    expect(forOrder.every((e) => e.payload.product === 'BRK-200')).toBe(true);
    expect(forOrder.reduce((sum, e) => sum + (e.payload.good ?? 0), 0)).toBe(40);
    // The order's counts come first, then a changeover, then the machine's own numbers.
    const lastOfOrder = counts.indexOf(forOrder.at(-1)!);
    expect(counts.slice(0, lastOfOrder + 1).every((e) => e.payload.order === order.number)).toBe(true);
    const after = counts.slice(lastOfOrder + 1);
    expect(after.length).toBeGreaterThan(0);
    expect(
      after.every((e) => e.payload.order !== order.number && /^PO-RIV-\d+$/.test(e.payload.order!)),
    ).toBe(true);
    const states = last.filter((e): e is SimEvent<'state'> => e.kind === 'state');
    const changeover = states.find((e) => e.payload.state === 'CHANGEOVER' && e.at >= forOrder.at(-1)!.at);
    expect(changeover?.at).toBe(forOrder.at(-1)!.at);
  });

  it('leaves the other machines and lines with their own orders', () => {
    const others = events.filter(
      (e): e is SimEvent<'count'> => e.kind === 'count' && !e.topic.endsWith('/L1/M5/count'),
    );
    expect(others.length).toBeGreaterThan(0);
    expect(others.some((e) => e.payload.order === order.number)).toBe(false);
  });
});

describe('the --orders option', () => {
  it('reads line codes to orders', () => {
    expect(
      parseLineOrders(
        '{"L1":{"number":" PO-1 ","product":"BRK-200","quantity":350},"L2":{"number":"PO-2","product":"HSG-310","quantity":0}}',
      ),
    ).toEqual({
      L1: { number: 'PO-1', product: 'BRK-200', quantity: 350 },
      L2: { number: 'PO-2', product: 'HSG-310', quantity: 0 },
    });
  });

  it('refuses what is not an order per line, saying what is wrong', () => {
    expect(() => parseLineOrders('L1=PO-1')).toThrow('--orders must be JSON');
    expect(() => parseLineOrders('[]')).toThrow('--orders must be an object of line code → order');
    expect(() => parseLineOrders('{"L1":{"product":"X","quantity":1}}')).toThrow(
      "line L1 needs the order's number",
    );
    expect(() => parseLineOrders('{"L1":{"number":"PO-1","quantity":1}}')).toThrow(
      "line L1 needs the order's product code",
    );
    expect(() => parseLineOrders('{"L1":{"number":"PO-1","product":"X","quantity":1.5}}')).toThrow(
      'line L1 needs the quantity still to make',
    );
  });
});
