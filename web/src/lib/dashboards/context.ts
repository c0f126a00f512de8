import type { SessionPlant } from '../api-types';
import type { DashboardLive } from './live.svelte';
import type { VariableValues } from './variables';

/** What every widget reads besides its own options: the variables, the live stream and the refresh tick. */
export interface WidgetContext {
  values: VariableValues;
  plant: SessionPlant | undefined;
  live: DashboardLive;
  /** Counts the dashboard's refreshes: a widget that is not live reads again when it changes. */
  tick: number;
  /** The page's clock, for durations. */
  now: number;
}
