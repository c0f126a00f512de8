import { tables } from '@plantline/schema';
import type { LabelDataInput } from '@plantline/schema/labels';
import { eq, inArray } from 'drizzle-orm';
import { DomainError } from '../../platform/index.js';
import { locationLabelElements } from '../materials/index.js';
import { type IssueCall, type Label, labelElementString, writeIssuedLabel } from './issue.js';
import { type PrintCall, printLabel } from './prints.js';
import { parseLabelData } from './render.js';
import { templateForIssue } from './templates.js';

/*
 * Location labels on bins and racks (docs/labels.md, "Location labels"): one label per location, with
 * (414) the plant's GLN and (254) the location's code as locationLabelElements gives them
 * (docs/materials.md, "Location labels"), issued as the location is now. A bin label carries no
 * serial: printing a bin's label again issues a new label, never a reprint of an old one, so it
 * needs no reason. A request names locations of one plant — a printer is at one plant — and is
 * refused whole, naming every location that cannot have a label, so nothing half-printed is left.
 */

export interface LocationLabelsInput {
  locationIds: string[];
  templateKey: string;
}

const loc = tables.inventoryLocations;

export async function issueLocationLabels(call: IssueCall, input: LocationLabelsInput): Promise<Label[]> {
  const { tx, principal } = call;
  const ids = [...new Set(input.locationIds)];
  // In the order asked for, so labels print in the order the locations were chosen.
  const order = new Map(ids.map((id, index) => [id, index]));
  const locations = (
    await tx
      .select({ id: loc.id, plantId: loc.plantId, code: loc.code, name: loc.name, kind: loc.kind })
      .from(loc)
      .where(inArray(loc.id, ids))
  ).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  if (locations.length < ids.length)
    throw new DomainError('not_found', 'Location not found', { locationIds: 'Not found' });
  const plantIds = new Set(locations.map((location) => location.plantId));
  const [plantId] = plantIds;
  if (plantId === undefined || plantIds.size > 1)
    throw new DomainError('invalid', 'Print the labels of one plant’s locations at a time', {
      locationIds: 'Locations of more than one plant',
    });
  const [plant] = await tx
    .select({ code: tables.plants.code, name: tables.plants.name, gln: tables.plants.gln })
    .from(tables.plants)
    .where(eq(tables.plants.id, plantId));
  if (plant === undefined) throw new DomainError('not_found', 'Plant not found');

  const refusals = new Set<string>();
  for (const location of locations) {
    const elements = locationLabelElements(plant, location);
    if (!elements.ok) refusals.add(elements.message);
  }
  const { gln } = plant;
  // A plant without a GLN is among the refusals: every location of it is refused for that.
  if (refusals.size > 0 || gln === null)
    throw new DomainError('invalid', [...refusals].join('. '), { locationIds: [...refusals].join('. ') });

  const stored = await templateForIssue(tx, principal.tenantId, input.templateKey);
  if (stored.template.kind !== 'location')
    throw new DomainError('invalid', `A location is not labelled with a ${stored.template.name} label`, {
      templateKey: 'Not for a location',
    });
  const paths = await locationPaths(call, plantId);
  const issued: Label[] = [];
  for (const location of locations) {
    const path = paths.get(location.id);
    const source: LabelDataInput = {
      location: {
        code: location.code,
        name: location.name,
        kind: location.kind,
        ...(path === undefined ? {} : { path }),
        gln,
      },
      plant: { code: plant.code, name: plant.name },
    };
    const data = parseLabelData(source);
    const elementString = labelElementString(stored.template, data);
    const label = await writeIssuedLabel(
      tx,
      {
        tenantId: principal.tenantId,
        plantId,
        kind: 'location',
        templateId: stored.id,
        templateVersion: stored.version,
        locationId: location.id,
        elementString,
        data,
        createdBy: principal.userId,
      },
      (issuedLabel) => ({ locationId: issuedLabel.locationId }),
    );
    issued.push(label);
  }
  return issued;
}

/** The locations each is in, outermost first ("WH1 / A"); none for the top of the plant's tree. */
async function locationPaths(call: IssueCall, plantId: string): Promise<Map<string, string>> {
  const rows = await call.tx
    .select({ id: loc.id, parentId: loc.parentId, code: loc.code })
    .from(loc)
    .where(eq(loc.plantId, plantId));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const paths = new Map<string, string>();
  for (const row of rows) {
    const above: string[] = [];
    const seen = new Set([row.id]);
    for (
      let parent = byId.get(row.parentId ?? '');
      parent !== undefined;
      parent = byId.get(parent.parentId ?? '')
    ) {
      if (seen.has(parent.id)) break;
      seen.add(parent.id);
      above.unshift(parent.code);
    }
    if (above.length > 0) paths.set(row.id, above.join(' / '));
  }
  return paths;
}

export interface PrintLocationLabelsInput extends LocationLabelsInput {
  printerId: string;
  copies: number;
}

/** Issues the locations' labels and queues each on the printer: one call for a rack's worth of bins. */
export async function printLocationLabels(call: IssueCall & PrintCall, input: PrintLocationLabelsInput) {
  const labels = await issueLocationLabels(call, input);
  const prints = [];
  for (const label of labels)
    prints.push(
      await printLabel(call, { labelId: label.id, printerId: input.printerId, copies: input.copies }),
    );
  return { labels, prints };
}
