import type { Logger } from './logger';

/** A long-lived part of the edge. Constructors only store dependencies; work begins in start(). */
export interface Unit {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts units in order and stops the started ones in reverse, so a unit never outlives what it uses. */
export class UnitGroup {
  #started: Unit[] = [];
  #starting: Promise<void> | undefined;
  #stopping = false;

  constructor(
    private readonly units: readonly Unit[],
    private readonly log: Logger,
  ) {}

  /** True once stop() was called; start() then returns early, leaving the rest unstarted. */
  get stopping(): boolean {
    return this.#stopping;
  }

  start(): Promise<void> {
    this.#starting ??= this.#startAll();
    return this.#starting;
  }

  /** Safe to call during start(): it waits for the unit being started, then unwinds. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#starting?.catch(() => undefined);
    for (const unit of this.#started.reverse()) {
      try {
        await unit.stop();
        this.log.debug({ unit: unit.name }, 'unit stopped');
      } catch (err) {
        // Keep going: one stuck unit must not keep the others (and their ports, files) alive.
        this.log.error({ err, unit: unit.name }, 'unit failed to stop');
      }
    }
    this.#started = [];
  }

  async #startAll(): Promise<void> {
    for (const unit of this.units) {
      if (this.#stopping) return;
      try {
        await unit.start();
      } catch (err) {
        // Cleared first, otherwise stop() would wait on the very promise that is calling it.
        this.#starting = undefined;
        await this.stop();
        throw new Error(`unit ${unit.name} failed to start`, { cause: err });
      }
      this.#started.push(unit);
      this.log.debug({ unit: unit.name }, 'unit started');
    }
  }
}
