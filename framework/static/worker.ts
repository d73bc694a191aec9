/** The static build's Web Worker: imports the app module, runs its `load()` once, and answers the page's predictions with the server's own steps (check the wire values, preprocess, the function, postprocess, check the outputs). */
import { VitrineError, fromTransfer, isVitrineError, type ErrorBody } from '../errors.ts';
import { isInterface, type VitrineInterface } from '../interface.ts';
import { ensureLoaded, executeBatch, type WorkItem } from '../runtime/execute.ts';
import { inputNaming, inputsSchema, outputsSchema, parseWire } from '../server/wire-reader.ts';
import type { FromWorker, ToWorker } from './messages.ts';

/** What this module uses of a dedicated worker's global scope (the DOM lib types the page's). */
const scope = globalThis as unknown as { postMessage(message: FromWorker): void; onmessage: ((event: MessageEvent<ToWorker>) => void) | null; location: Location };

const post = (message: FromWorker) => scope.postMessage(message);
let app: Promise<VitrineInterface> | undefined;

/** The error body the server would send for `err` (a VitrineError as it is; anything else an app failure, never its stack). */
function errorOf(err: unknown): { status: number; body: ErrorBody } {
  const e = isVitrineError(err) ? err : new VitrineError('APP_ERROR', { requestId: 'static' });
  return { status: e.status, body: e.toBody() };
}

async function loadApp(href: string, exportName: string): Promise<VitrineInterface> {
  const started = performance.now();
  const mod = (await import(href)) as Record<string, unknown>;
  const iface = mod[exportName];
  if (!isInterface(iface)) throw new VitrineError('MODEL_UNAVAILABLE', { reason: `${href} does not export an Interface as "${exportName}"` });
  await ensureLoaded(iface, (message) => post({ type: 'log', message }));
  const resources = performance.getEntriesByType('resource').map((e) => e.name);
  post({ type: 'ready', ms: performance.now() - started, resources: [scope.location.href, ...resources] });
  return iface;
}

/** One prediction: the body as `POST api/predict` takes it (one key per input) → status and body as it answers. */
async function predict(iface: VitrineInterface, body: unknown): Promise<{ status: number; body: unknown }> {
  const wire = parseWire(inputsSchema(iface.inputs), body, inputNaming(iface.inputs));
  const item: WorkItem = {};
  for (const { name, component } of iface.inputs) item[name] = component.toTransport(wire[name], { field: name });
  const [outcome] = await executeBatch(iface, [item]);
  if (!outcome!.ok) throw 'error' in outcome! ? fromTransfer(outcome.error) : new Error(outcome!.appError);
  const checked = outputsSchema(iface.outputs).safeParse(outcome!.outputs);
  if (!checked.success) throw new VitrineError('INVALID_OUTPUT', { field: String(checked.error.issues[0]?.path[0] ?? ''), requestId: 'static' });
  return { status: 200, body: checked.data };
}

scope.onmessage = async (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'load') {
    app = loadApp(message.app, message.exportName ?? 'default');
    app.catch((err: unknown) => {
      const { body } = errorOf(err);
      post({ type: 'failed', error: isVitrineError(err) ? body : { error: 'MODEL_UNAVAILABLE', message: `The model is not available: ${err instanceof Error ? err.message : String(err)}` } });
    });
    return;
  }
  const started = performance.now();
  try {
    if (!app) throw new VitrineError('MODEL_UNAVAILABLE', { reason: 'the app was not loaded' });
    const iface = await app.catch((err: unknown) => {
      throw isVitrineError(err) ? err : new VitrineError('MODEL_UNAVAILABLE', { reason: err instanceof Error ? err.message : String(err) });
    });
    const answer = await predict(iface, message.body);
    post({ type: 'answer', id: message.id, ...answer, ms: performance.now() - started });
  } catch (err) {
    if (!isVitrineError(err)) post({ type: 'log', message: `the app failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` });
    const { status, body } = errorOf(err);
    post({ type: 'answer', id: message.id, status, body, ms: performance.now() - started });
  }
};
