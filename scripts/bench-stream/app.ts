/** The app `scripts/bench-stream.ts` measures: a generator that yields `partials` times, `intervalMs` apart, each partial stamped with the wall-clock time (ms) of its yield. */
import { Interface, Number as NumberComponent, Textbox } from 'vitrine';

/** Milliseconds on a clock that every thread of the process shares (a worker's `performance.now()` starts at its own origin). */
export const now = (): number => performance.timeOrigin + performance.now();

export default Interface({
  fn: async function* ({ partials, intervalMs }) {
    let text = '';
    for (let i = 0; i < partials; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, intervalMs));
      text += `token${i} `;
      yield { text, index: i, stamp: now() };
    }
  },
  inputs: { partials: NumberComponent({ min: 1, max: 10_000, value: 20 }), intervalMs: NumberComponent({ min: 0, max: 10_000, value: 10 }) },
  outputs: { text: Textbox({ maxLength: 1_000_000 }), index: NumberComponent(), stamp: NumberComponent() },
  workers: 0,
});
