/** CLI: folds batch norm into the convolutions of a saved model folder (in place or into --out). */
import { initTf } from '../framework/tf/backend.ts';
import { loadLayersModelFromDir, saveLayersModelToDir } from '../framework/tf/model-io.ts';
import { parseFlags } from './cli.ts';
import { foldBatchNorm } from './fold.ts';

const flags = parseFlags('fold', {
  model: { type: 'string', default: 'apps/fashion-mnist/model', help: 'folder with model.json and weights.bin' },
  out: { type: 'string', default: '', help: 'folder to write the folded model to (default: overwrite --model)' },
});

await initTf({ log: (m) => console.log(m) });
const model = await loadLayersModelFromDir(String(flags.model));
const folded = foldBatchNorm(model);
const out = String(flags.out || flags.model);
await saveLayersModelToDir(folded, out);
console.log(`${model.layers.length} layers → ${folded.layers.length}; saved to ${out}`);
