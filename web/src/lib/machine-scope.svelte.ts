import { Resource } from './resource.svelte';
import { trpc } from './trpc';

interface Named {
  id: string;
  code: string;
  name: string;
}

interface ScopeLabels {
  /** The first option of each select, chosen when nothing is: "Choose a line", "Every line of the plant". */
  noPlant: string;
  noLine: string;
  noMachine: string;
}

const optionOf = (item: Named) => ({ value: item.id, label: `${item.code} · ${item.name}` });

/**
 * The plant, line and machine selects of a form whose rule or login applies to a plant, one of its
 * lines or a machine of that line: the lines of the chosen plant and the machines of the chosen line,
 * loaded as the choice changes. Create it while the form's component initialises (its effects belong
 * to the component).
 */
export class MachineScopeChoices {
  readonly plantOptions: { value: string; label: string }[];
  readonly lineOptions: { value: string; label: string }[];
  readonly machineOptions: { value: string; label: string }[];

  constructor(
    scope: () => { plantId: string; lineId: string },
    plants: () => readonly Named[],
    labels: ScopeLabels,
  ) {
    const lines = new Resource<Named[]>(() => {
      const { plantId } = scope();
      return plantId ? trpc.masterdata.lines.list.query({ plantId }) : Promise.resolve([]);
    });
    const machines = new Resource<Named[]>(() => {
      const { lineId } = scope();
      return lineId ? trpc.masterdata.machines.list.query({ lineId }) : Promise.resolve([]);
    });
    $effect(() => {
      void scope().plantId;
      void lines.load();
    });
    $effect(() => {
      void scope().lineId;
      void machines.load();
    });
    this.plantOptions = $derived([{ value: '', label: labels.noPlant }, ...plants().map(optionOf)]);
    this.lineOptions = $derived([{ value: '', label: labels.noLine }, ...(lines.data ?? []).map(optionOf)]);
    this.machineOptions = $derived([
      { value: '', label: labels.noMachine },
      ...(machines.data ?? []).map(optionOf),
    ]);
  }
}
