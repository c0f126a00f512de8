import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DomainError } from '../../platform/index.js';

/*
 * bwip-js runs the Barcode Writer in Pure PostScript encoders in JavaScript: a 2D symbol costs tens to
 * hundreds of milliseconds of CPU, which on the event loop would stall every other request of the
 * cloud. The pool runs it on worker threads with a bounded queue, so a burst of labels waits or is
 * refused with a clear error instead of slowing everyone (docs/labels.md, "Rendering").
 */

/** What one bwip-js call takes (its RenderOptions, the part the renderers use). */
export interface BarcodeRequest {
  bcid: 'gs1-128' | 'gs1datamatrix' | 'qrcode';
  text: string;
  /** Lets `^NNN` in the text stand for a character, as the GS1 writers escape parentheses in values. */
  parse?: boolean;
  scale?: number;
  height?: number;
  eclevel?: 'L' | 'M' | 'Q' | 'H';
}

export interface BarcodePoolOptions {
  /** Threads; by default one per core left to the event loop, at least one, at most four. */
  size?: number;
  /** Requests waiting for a thread; one more is refused with a `throttled` error. */
  maxQueued?: number;
}

interface Task {
  request: BarcodeRequest;
  resolve: (svg: string) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  task: Task | undefined;
}

type Reply = { id: number; svg: string } | { id: number; error: string };

const workerUrl = new URL('./barcode-worker.mjs', import.meta.url);

export class BarcodePool {
  readonly #size: number;
  readonly #maxQueued: number;
  #threads: Thread[] = [];
  #queue: Task[] = [];
  #running = false;
  #stopped = false;

  constructor(options: BarcodePoolOptions = {}) {
    this.#size = options.size ?? Math.min(4, Math.max(1, availableParallelism() - 1));
    this.#maxQueued = options.maxQueued ?? 64;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Starts the threads. A pool that was never started starts on its first request instead, so the
   * app's pool (AppDeps) costs nothing until a label is drawn.
   */
  async start(): Promise<void> {
    if (this.#running || this.#stopped) return;
    this.#running = true;
    await Promise.all(Array.from({ length: this.#size }, () => this.#spawn()));
  }

  /** Refuses what waits, ends the threads (and what they were drawing), and resolves when they are gone. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#stopped = true;
    const stopped = () => new Error('the barcode pool stopped');
    for (const task of this.#queue.splice(0)) task.reject(stopped());
    const threads = this.#threads.splice(0);
    for (const thread of threads) thread.task?.reject(stopped());
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }

  /** The symbol as SVG (bwip-js toSVG). */
  render(request: BarcodeRequest): Promise<string> {
    if (this.#stopped) return Promise.reject(new Error('the barcode pool is not running'));
    if (!this.#running)
      this.start().catch((error: unknown) => {
        for (const task of this.#queue.splice(0)) task.reject(error as Error);
      });
    if (this.#queue.length >= this.#maxQueued) {
      return Promise.reject(
        new DomainError(
          'throttled',
          `The label renderer is busy: ${this.#queue.length} barcodes are waiting. Try again shortly.`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#dispatch();
    });
  }

  async #spawn(): Promise<void> {
    const worker = new Worker(workerUrl);
    const thread: Thread = { worker, task: undefined };
    this.#threads.push(thread);
    worker.on('message', (reply: Reply) => {
      const task = thread.task;
      thread.task = undefined;
      if (task) {
        if ('svg' in reply) task.resolve(reply.svg);
        else task.reject(new DomainError('invalid', `The barcode could not be drawn: ${reply.error}`));
      }
      this.#dispatch();
    });
    // A thread that dies takes its task with it; a new one takes its place while the pool runs.
    worker.on('error', (error) => {
      thread.task?.reject(error);
      thread.task = undefined;
    });
    worker.on('exit', () => {
      const index = this.#threads.indexOf(thread);
      if (index < 0) return;
      this.#threads.splice(index, 1);
      thread.task?.reject(new Error('a barcode thread exited'));
      if (this.#running)
        this.#spawn().then(
          () => this.#dispatch(),
          () => undefined,
        );
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
  }

  #nextId = 0;

  #dispatch(): void {
    for (const thread of this.#threads) {
      if (thread.task !== undefined) continue;
      const task = this.#queue.shift();
      if (task === undefined) return;
      thread.task = task;
      thread.worker.postMessage({ id: this.#nextId++, options: task.request });
    }
  }
}
