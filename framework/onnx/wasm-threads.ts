/** How many threads onnxruntime-web may use in a page: threads need SharedArrayBuffer, which only a cross-origin isolated page has. */
import type { ThreadBudget } from './threads.ts';

/**
 * One thread unless the page is cross-origin isolated (COOP `same-origin` + COEP `require-corp`,
 * which a static Space sets with `custom_headers`); then an explicit `threads`, or
 * onnxruntime-web's own default `min(4, ceil(cores / 2))`.
 *
 * @example
 * chooseWasmThreads({}, false, 8); // 1
 * chooseWasmThreads({}, true, 8);  // 4
 */
export function chooseWasmThreads(budget: ThreadBudget, isolated: boolean, cores: number): number {
  if (!isolated) return 1;
  if (budget.threads !== undefined) return Math.max(1, Math.floor(budget.threads));
  return Math.min(4, Math.ceil(Math.max(1, cores) / 2));
}
