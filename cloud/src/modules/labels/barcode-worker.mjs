/*
 * One thread of the barcode pool (barcode-pool.ts): draws a symbol with bwip-js and answers with its
 * SVG. Plain JavaScript so that the worker starts the same under node, tsx and vitest, with no loader.
 */
import { parentPort } from 'node:worker_threads';
import bwipjs from 'bwip-js/node';

parentPort?.on('message', ({ id, options }) => {
  try {
    parentPort?.postMessage({ id, svg: bwipjs.toSVG(options) });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
