import type { Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import { oeeBreakdown } from '../kpi/index.js';
import type { ColumnSpec } from './definition.js';
import { type ComputedSource, minutes, type Row, ratioCell, type SourceContext } from './sources.js';

/*
 * OEE with A, P and Q per shift, local day, ISO week or the whole period, for the plant, its lines or
 * its machines (docs/reports.md). The figures are kpi.oee's: oeeBreakdown evaluates each window with
 * the same function, and lines and the plant add components before dividing (docs/kpis.md).
 */

const columns: ColumnSpec[] = [
  { key: 'period', label: 'Period', type: 'text' },
  { key: 'periodStart', label: 'Start', type: 'datetime' },
  { key: 'periodEnd', label: 'End', type: 'datetime' },
  { key: 'shift', label: 'Shift', type: 'text' },
  { key: 'line', label: 'Line', type: 'text' },
  { key: 'machine', label: 'Machine', type: 'text' },
  { key: 'name', label: 'Name', type: 'text' },
  { key: 'oee', label: 'OEE', type: 'percent', unit: '%', decimals: 1 },
  { key: 'availability', label: 'Availability', type: 'percent', unit: '%', decimals: 1 },
  { key: 'performance', label: 'Performance', type: 'percent', unit: '%', decimals: 1 },
  { key: 'quality', label: 'Quality', type: 'percent', unit: '%', decimals: 1 },
  { key: 'plannedBusyTime', label: 'Planned busy time', type: 'duration', unit: 'min', decimals: 1 },
  { key: 'productionTime', label: 'Actual production time', type: 'duration', unit: 'min', decimals: 1 },
  { key: 'availabilityLoss', label: 'Down time', type: 'duration', unit: 'min', decimals: 1 },
  { key: 'produced', label: 'Produced', type: 'integer', unit: 'pcs' },
  { key: 'good', label: 'Good', type: 'integer', unit: 'pcs' },
  { key: 'scrap', label: 'Scrap', type: 'integer', unit: 'pcs' },
  { key: 'flags', label: 'Notes', type: 'text' },
];

interface Figures {
  oee: { value: number | null };
  availability: { value: number | null };
  performance: { value: number | null };
  quality: { value: number | null };
  components: {
    pbtMs: number;
    aptMs: number;
    availabilityLossMs: number;
    producedQuantity: number;
    goodQuantity: number;
    scrapQuantity: number;
  };
  flags: { performanceAboveIdeal: boolean; hasGaps: boolean; live: boolean; hasUnmappedStates: boolean };
}

function figures(f: Figures) {
  const notes = [
    f.flags.performanceAboveIdeal ? 'P above 100 %' : '',
    f.flags.hasGaps ? 'gaps' : '',
    f.flags.hasUnmappedStates ? 'unmapped states' : '',
    f.flags.live ? 'still open' : '',
  ].filter((n) => n !== '');
  return {
    oee: ratioCell(f.oee),
    availability: ratioCell(f.availability),
    performance: ratioCell(f.performance),
    quality: ratioCell(f.quality),
    plannedBusyTime: minutes(f.components.pbtMs),
    productionTime: minutes(f.components.aptMs),
    availabilityLoss: minutes(f.components.availabilityLossMs),
    produced: f.components.producedQuantity,
    good: f.components.goodQuantity,
    scrap: f.components.scrapQuantity,
    flags: notes.join(', '),
  };
}

async function load(tx: Sql, context: SourceContext): Promise<Row[]> {
  const { params, period } = context;
  if (period === null) throw new DomainError('invalid', 'Choose a period', { period: 'Required' });
  const scope =
    params.machineId !== undefined
      ? { kind: 'machine' as const, id: params.machineId }
      : params.lineId !== undefined
        ? { kind: 'line' as const, id: params.lineId }
        : { kind: 'plant' as const, id: params.plantId ?? '' };
  const by = (context.grouping.time ?? 'shift') as 'shift' | 'day' | 'week' | 'period';
  const level = context.grouping.level ?? 'machine';
  const result = await oeeBreakdown(
    tx,
    { scope, from: new Date(period.start), to: new Date(period.end), by },
    context.now,
  );
  const out: Row[] = [];
  for (const w of result.windows) {
    if (params.shiftName !== undefined && w.window.shift?.name !== params.shiftName) continue;
    const base = {
      period: w.window.label,
      periodStart: new Date(w.window.start).toISOString(),
      periodEnd: new Date(w.window.end).toISOString(),
      shift: w.window.shift?.name ?? '',
    };
    const lineCode = new Map(w.lines.map((l) => [l.lineId, l.code]));
    if (level === 'plant') {
      out.push({ ...base, line: '', machine: '', name: 'Total', ...figures(w.total) });
    } else if (level === 'line') {
      for (const l of w.lines) out.push({ ...base, line: l.code, machine: '', name: l.name, ...figures(l) });
    } else {
      for (const m of w.machines) {
        out.push({
          ...base,
          line: lineCode.get(m.lineId) ?? '',
          machine: m.code,
          name: m.name,
          ...figures(m),
        });
      }
    }
  }
  return out;
}

export const oeeSource: ComputedSource = {
  kind: 'computed',
  key: 'oee',
  permission: 'kpi.read',
  columns,
  grouping: { time: ['shift', 'day', 'week', 'period'], level: ['machine', 'line', 'plant'] },
  parameters: ['plantId', 'lineId', 'machineId', 'shiftName', 'period'],
  requires: ['plantId'],
  needsPeriod: true,
  load,
};
