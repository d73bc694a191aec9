/** `vitrine onnx <model.onnx>`: serves an ONNX image classifier with no code (the app in onnx/classifier/). */
import { fileURLToPath } from 'node:url';
import { ClassifierSetupError, resolveClassifierSpec, SPEC_ENV } from '../onnx/classifier/spec.ts';
import type { Command } from './args.ts';
import { serveApps } from './serve.ts';

/** The module every thread imports; it reads the spec from {@link SPEC_ENV}. */
const CLASSIFIER_APP = fileURLToPath(new URL(`../onnx/classifier/app${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));

/**
 * Reads the model (its input layout, its classes), checks it against the options, says what it
 * will serve and serves it at `/`. A model or option the user can fix ends it with one line and
 * exit code 2; otherwise it resolves once the server listens.
 *
 * @example
 * process.exitCode = await serveOnnx(parseCommand(['onnx', 'model.onnx', '--labels', 'labels.txt']), console.log, console.error);
 */
export async function serveOnnx(cmd: Extract<Command, { name: 'onnx' }>, say: (line: string) => void, complain: (line: string) => void): Promise<number> {
  let spec;
  try {
    spec = await resolveClassifierSpec(cmd.classifier);
  } catch (err) {
    if (!(err instanceof ClassifierSetupError)) throw err;
    complain(`vitrine: ${err.message}`);
    return 2;
  }
  const { layout } = spec;
  say(
    `vitrine: ${spec.modelPath}: ${layout.format} ${layout.channels === 1 ? 'grey' : 'RGB'} ${layout.height}×${layout.width}` +
      `${layout.dynamicBatch ? '' : ' (batch fixed at 1)'}, ${spec.labels.length} classes, top ${spec.topK}`,
  );
  // Before serve(): worker threads copy this process's environment when they start.
  process.env[SPEC_ENV] = JSON.stringify(spec);
  await serveApps(
    { mounts: [{ prefix: '/', module: CLASSIFIER_APP, exportName: 'default', arg: cmd.classifier.model, shownAs: spec.modelPath }], port: cmd.port, host: cmd.host, liveReload: false, mcp: cmd.mcp },
    say,
  );
  return 0;
}
