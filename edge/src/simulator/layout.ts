import {
  DEMO_CHARACTERS,
  DEMO_PLANTS,
  type DemoMachineCharacter,
  type DemoPlant,
  demoPlant,
} from '@plantline/schema';

/** How one simulated machine behaves: its ideal cycle and its character (schema's demo-plant.ts). */
export interface MachineProfile {
  idealCycleSeconds: number;
  character: DemoMachineCharacter;
}

export interface PlantLayout {
  plant: string;
  lines: {
    code: string;
    machines: string[];
    stations: string[];
    /** Products the line's orders cycle through (default: the first demo products). */
    products?: readonly string[];
    /** Per machine code; a machine without one gets a seeded ideal cycle of 20–60 s, `typical`. */
    profiles?: Readonly<Record<string, MachineProfile>>;
  }[];
}

/** The layout of a demo plant as the cloud's demo seed creates it (schema's DEMO_PLANTS). */
export function demoPlantLayout(code: string): PlantLayout {
  const plant = demoPlant(code);
  if (plant === undefined)
    throw new Error(`${code} is not a demo plant (${DEMO_PLANTS.map((p) => p.code).join(', ')})`);
  return plantLayout(plant);
}

/** The layout of a plant defined like the demo plants. */
export function plantLayout(plant: DemoPlant): PlantLayout {
  return {
    plant: plant.code,
    lines: plant.lines.map((line) => ({
      code: line.code,
      machines: line.machines.map((m) => m.code),
      stations: [...plant.stations],
      products: line.products,
      profiles: Object.fromEntries(
        line.machines.map((m) => [
          m.code,
          { idealCycleSeconds: m.idealCycleSeconds, character: m.character },
        ]),
      ),
    })),
  };
}

/**
 * Riverside Assembly as seeded, or — given lines, machines or stations — a plant of that size whose
 * machines are all `typical` (benchmarks and tests that want a smaller or larger plant).
 */
export function demoLayout(
  options: { plant?: string; lines?: string[]; machines?: number; stations?: number } = {},
): PlantLayout {
  const plant = options.plant ?? 'RIV';
  const custom =
    options.lines !== undefined || options.machines !== undefined || options.stations !== undefined;
  if (!custom && demoPlant(plant) !== undefined) return demoPlantLayout(plant);
  const machines = options.machines ?? 5;
  const stations = options.stations ?? 2;
  return {
    plant,
    lines: (options.lines ?? ['L1', 'L2']).map((code) => ({
      code,
      machines: Array.from({ length: machines }, (_, i) => `M${i + 1}`),
      stations: Array.from({ length: stations }, (_, i) => `S${i + 1}`),
    })),
  };
}

export const TYPICAL_CHARACTER = DEMO_CHARACTERS.typical;
