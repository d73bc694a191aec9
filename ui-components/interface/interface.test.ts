/**
 * `<vt-interface>` in Chromium against a scripted HTTP API (the real server is covered by
 * tests/browser/*.e2e.test.ts): building from the config, running, examples, errors, keyboard use,
 * layout, cross-origin embedding and refusing what a remote config must not do.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openComponentPage, type ComponentPage } from '../../tests/browser/component-page.ts';
import { json, serveRoutes, type Handler, type TestServer } from '../../tests/browser/static-server.ts';
import type { InterfaceConfig } from '../internal/config.ts';

const CONFIG = {
  title: 'Colour classifier',
  description: 'Tells **red** from _blue_. See [the docs](docs) or [this](javascript:alert(1)). <script>alert(1)</script>',
  article: '## How it works\n\n- It reads the mean colour\n- It compares `r` and `b`',
  inputs: [
    { name: 'image', kind: 'image', tag: 'vt-image', element: 'elements/image.js', file: true, sample: 'image.png', label: 'Picture', props: { width: 28, height: 28, mode: 'RGB', fit: 'contain', sources: ['upload', 'clipboard'] } },
    { name: 'note', kind: 'textbox', tag: 'vt-textbox', element: 'elements/textbox.js', file: false, sample: 'Hello', label: 'Note', info: 'Anything', props: { lines: 1, placeholder: 'optional' } },
    { name: 'strength', kind: 'slider', tag: 'vt-slider', element: 'elements/slider.js', file: false, sample: 0, label: 'Strength', props: { min: 0, max: 10, step: 1, value: 5 } },
  ],
  outputs: [
    { name: 'label', kind: 'label', tag: 'vt-label', element: 'elements/label.js', file: false, sample: null, label: 'Colour', props: { topK: 2 } },
    { name: 'echo', kind: 'json', tag: 'vt-json', element: 'elements/json.js', file: false, sample: null, label: 'Echo', props: {} },
  ],
  examples: [{ image: 'examples/0/red.png', note: 'a red square', strength: 7 }],
  batch: null,
  layout: 'interface',
  streams: false,
  api: { predict: 'api/predict', gradio: '/predict', config: 'api/config', flag: 'api/flag', openapi: 'openapi.json', docs: 'docs' },
} satisfies InterfaceConfig;

let red: Buffer;
let predictBodies: Array<Record<string, unknown>>;
let predictDelayMs = 0;
let flagBodies: unknown[];
let authHeaders: Array<string | null>;

/** The scripted API: red vs blue from the PNG's mean colour; anything not a PNG gets the API's 400. */
const predict: Handler = async (_req, raw) => {
  const body = JSON.parse(raw.toString()) as Record<string, unknown>;
  predictBodies.push(body);
  if (predictDelayMs > 0) await new Promise((r) => setTimeout(r, predictDelayMs));
  const image = typeof body.image === 'string' ? body.image : '';
  // A development server's 500: the app's message and frames in `detail`.
  if (body.note === 'crash') {
    return json({ error: 'APP_ERROR', message: 'The app failed while handling this request (request id r1)', requestId: 'r1', detail: 'RangeError: no red\n    at mean (app.ts:3:9)' }, 500);
  }
  if (image === '') return json({ error: 'MISSING_INPUT', message: 'Missing required input "image"', field: 'image' }, 400);
  try {
    const stats = await sharp(Buffer.from(image.replace(/^data:[^,]*,/, ''), 'base64')).stats();
    const [r, , b] = stats.channels.map((c) => c.mean / 255);
    const pRed = (r ?? 0) / ((r ?? 0) + (b ?? 0) || 1);
    const confidences = [
      { label: 'Red', confidence: pRed },
      { label: 'Blue', confidence: 1 - pRed },
    ].sort((x, y) => y.confidence - x.confidence);
    const reply = json({ label: { label: confidences[0]?.label, confidences }, echo: { note: body.note, strength: body.strength } });
    return { ...reply, headers: { 'x-request-id': `req-${predictBodies.length}` } };
  } catch {
    return json({ error: 'INVALID_IMAGE', message: 'Invalid image for "image": the file is not a PNG, JPEG, WebP or GIF', field: 'image' }, 400);
  }
};

let ui: ComponentPage;
let api: TestServer;
beforeAll(async () => {
  red = await sharp({ create: { width: 28, height: 28, channels: 3, background: { r: 220, g: 10, b: 10 } } }).png().toBuffer();
  const routes: Record<string, Handler> = {
    '/app/api/config': () => json(CONFIG),
    'POST /app/api/predict': predict,
    'POST /app/api/flag': (_req, raw) => {
      flagBodies.push(JSON.parse(raw.toString()));
      return json({ id: 'flag-1' });
    },
    '/app/examples/0/red.png': () => ({ type: 'image/png', body: red }),
    // A server started with VITRINE_TOKEN=s3cret: the config is open, predict needs the token.
    '/locked/api/config': () => json(CONFIG),
    '/locked/examples/0/red.png': () => ({ type: 'image/png', body: red }),
    'POST /locked/api/predict': (req, raw) => {
      authHeaders.push(req.headers.authorization ?? null);
      if (req.headers.authorization !== 'Bearer s3cret') return json({ error: 'UNAUTHORIZED', message: 'A valid bearer token is required' }, 401);
      return predict(req, raw);
    },
    '/broken/api/config': () => json({ error: 'MODEL_UNAVAILABLE', message: 'The model is not available: still loading' }, 503),
    '/hostile/api/config': () =>
      json({
        ...CONFIG,
        title: 'x',
        inputs: [
          { name: 'a', kind: 'textbox', tag: 'vt-textbox', element: 'elements/textbox.js', file: false, sample: 'Hello', label: 'a', props: { innerHTML: '<img src=x onerror=alert(1)>', onclick: 'alert(1)', placeholder: 'ok' } },
          { name: 'b', kind: 'nonexistent', tag: 'vt-nonexistent', element: 'elements/nonexistent.js', file: false, sample: null, label: 'b', props: {} },
        ],
        outputs: [],
        examples: [],
      }),
  };
  // A second origin for the embedding test: `localhost` is another origin than `127.0.0.1`.
  api = await serveRoutes(
    { '/app/api/config': () => json(CONFIG), 'POST /app/api/predict': predict, '/app/examples/0/red.png': () => ({ type: 'image/png', body: red }) },
    { host: 'localhost', extraHeaders: { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type' } },
  );
  ui = await openComponentPage({ routes, connectSrc: [api.origin] });
});
afterAll(async () => {
  await ui?.close();
  await api?.close();
});
beforeEach(() => {
  predictBodies = [];
  flagBodies = [];
  authHeaders = [];
  predictDelayMs = 0;
});

async function mountApp(src = '/app/'): Promise<void> {
  await ui.page.setViewportSize({ width: 1280, height: 900 });
  await ui.mount(`<vt-interface src="${src}"></vt-interface>`);
  await ui.page.waitForFunction(() => (window as unknown as { vtEvents: Array<{ type: string }> }).vtEvents.some((e) => e.type === 'vt-load'));
}

async function chooseFile(bytes: Buffer, name = 'upload.png'): Promise<void> {
  const [chooser] = await Promise.all([ui.page.waitForEvent('filechooser'), ui.page.getByRole('button', { name: /^Picture:/ }).click()]);
  await chooser.setFiles({ name, mimeType: 'image/png', buffer: bytes });
  await ui.page.waitForFunction(() => document.querySelector('vt-interface')?.shadowRoot?.querySelector('vt-image')?.value != null);
}

const labelText = () => ui.page.locator('vt-label .top').textContent();

describe('vt-interface', () => {
  it('builds the demo from the config: title, safe markdown, labelled fields, examples, API panel, article', async () => {
    await mountApp();
    const page = ui.page;
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Colour classifier');
    const description = page.locator('vt-interface .description');
    await expect(description.locator('strong').textContent()).resolves.toBe('red');
    await expect(description.locator('em').textContent()).resolves.toBe('blue');
    await expect(description.getByRole('link', { name: 'the docs' }).getAttribute('href')).resolves.toBe(`${ui.server.origin}/app/docs`);
    // The javascript: link is shown as text only, and the HTML is text, not markup.
    await expect(description.getByRole('link').count()).resolves.toBe(1);
    await expect(description.textContent()).resolves.toContain('<script>alert(1)</script>');
    await expect(page.locator('vt-interface script').count()).resolves.toBe(0);

    await expect(page.getByRole('textbox', { name: 'Note' }).getAttribute('placeholder')).resolves.toBe('optional');
    await expect(page.getByRole('slider', { name: 'Strength' }).inputValue()).resolves.toBe('5');
    await expect(page.getByRole('status', { name: 'Colour' }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Run example 1: red.png, a red square, 7' }).count()).resolves.toBe(1);
    await expect(page.locator('vt-interface .example img').getAttribute('src')).resolves.toBe(`${ui.server.origin}/app/examples/0/red.png`);

    await page.getByText('Use via API').click();
    const curl = await page.locator('vt-interface .snippet pre').first().textContent();
    expect(curl).toContain(`curl -X POST '${ui.server.origin}/app/api/predict'`);
    expect(curl).toContain("-F 'image=@red.png'");
    await expect(page.locator('vt-interface pre[aria-labelledby="snippet-gradio-python"]').textContent()).resolves.toContain(`handle_file("${ui.server.origin}/app/examples/0/red.png")`);
    await expect(page.locator('vt-interface pre[aria-labelledby="snippet-gradio-js"]').textContent()).resolves.toContain(`Client.connect("${ui.server.origin}/app/")`);
    await expect(page.getByRole('link', { name: 'API docs' }).getAttribute('href')).resolves.toBe(`${ui.server.origin}/app/docs`);
    await expect(page.locator('vt-interface article h3').textContent()).resolves.toBe('How it works');
    await expect(page.locator('vt-interface article li').count()).resolves.toBe(2);
  });

  it('sends one JSON key per input and shows the outputs', async () => {
    await mountApp();
    await chooseFile(red);
    await ui.page.getByRole('textbox', { name: 'Note' }).fill('hi');
    await ui.page.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(labelText).toBe('Red');
    expect(predictBodies).toEqual([{ image: `data:image/png;base64,${red.toString('base64')}`, note: 'hi', strength: 5 }]);
    await expect(ui.page.locator('vt-label li').count()).resolves.toBe(2);
    expect(await ui.page.locator('vt-interface vt-json').evaluate((el: HTMLElement & { value?: unknown }) => el.value)).toEqual({ note: 'hi', strength: 5 });
    const events = (await ui.events()).map((e) => e.type);
    expect(events.filter((t) => ['vt-submit', 'vt-result'].includes(t))).toEqual(['vt-submit', 'vt-result']);
    await expect(ui.page.locator('vt-interface .run-status').textContent()).resolves.toMatch(/^Done in \d+\.\d\d s\.$/);
  });

  it('runs an example: fetches its image as a data URL, fills the inputs, submits', async () => {
    await mountApp();
    await ui.page.getByRole('button', { name: /^Run example 1/ }).click();
    await expect.poll(labelText).toBe('Red');
    expect(predictBodies).toEqual([{ image: `data:image/png;base64,${red.toString('base64')}`, note: 'a red square', strength: 7 }]);
    await expect(ui.page.getByRole('textbox', { name: 'Note' }).inputValue()).resolves.toBe('a red square');
    await expect(ui.page.getByRole('slider', { name: 'Strength' }).inputValue()).resolves.toBe('7');
  });

  it("shows the API's error message inline, as an alert, and clears stale outputs", async () => {
    await mountApp();
    await ui.page.getByRole('button', { name: /^Run example 1/ }).click();
    await expect.poll(labelText).toBe('Red');
    await chooseFile(Buffer.from('this is not a png at all'), 'fake.png');
    await ui.page.getByRole('button', { name: 'Submit' }).click();
    const alert = ui.page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toBe('Invalid image for "image": the file is not a PNG, JPEG, WebP or GIF');
    await expect(ui.page.locator('vt-label .top').count()).resolves.toBe(0);
    expect((await ui.events('vt-error')).at(-1)?.detail).toEqual({
      error: 'INVALID_IMAGE',
      message: 'Invalid image for "image": the file is not a PNG, JPEG, WebP or GIF',
      status: 400,
    });
    // Clear drops the error and every value, and puts the slider's default back.
    await ui.page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect(ui.page.getByRole('alert').count()).resolves.toBe(0);
    expect(await ui.page.locator('vt-interface vt-image').evaluate((el: HTMLElement & { value?: unknown }) => el.value)).toBeNull();
    await expect(ui.page.getByRole('slider', { name: 'Strength' }).inputValue()).resolves.toBe('5');
  });

  it("shows a development server's detail (the app's message and frames) under the error", async () => {
    await mountApp();
    await ui.page.getByRole('button', { name: /^Run example 1/ }).click();
    await expect.poll(labelText).toBe('Red');
    await ui.page.getByRole('textbox', { name: /^Note/ }).fill('crash');
    await ui.page.getByRole('button', { name: 'Submit' }).click();
    const detail = ui.page.locator('vt-interface .error-detail');
    await expect.poll(() => detail.textContent()).toBe('RangeError: no red\n    at mean (app.ts:3:9)');
    await expect(ui.page.getByRole('alert').textContent()).resolves.toBe('The app failed while handling this request (request id r1)RangeError: no red\n    at mean (app.ts:3:9)');
  });

  it('flags the last result with an optional reason and the request id', async () => {
    await mountApp();
    await expect(ui.page.getByRole('button', { name: 'Flag' }).count()).resolves.toBe(0);
    await ui.page.getByRole('button', { name: /^Run example 1/ }).click();
    await expect.poll(labelText).toBe('Red');
    await ui.page.getByRole('textbox', { name: 'Why flag this result? (optional)' }).fill('looks orange to me');
    await ui.page.getByRole('button', { name: 'Flag' }).click();
    await expect.poll(() => ui.page.getByText('Flagged. Thank you.').count()).toBe(1);
    expect(flagBodies).toEqual([
      {
        inputs: predictBodies[0],
        outputs: { label: expect.objectContaining({ label: 'Red' }), echo: { note: 'a red square', strength: 7 } },
        reason: 'looks orange to me',
        requestId: 'req-1',
      },
    ]);
    // Once per result: a second press sends nothing.
    await ui.page.getByRole('button', { name: 'Flagged' }).press('Enter');
    expect(flagBodies.length).toBe(1);
  });

  it('asks for an access token when the API answers 401, runs again with it and keeps it for the tab', async () => {
    await mountApp('/locked/');
    await ui.page.evaluate(() => sessionStorage.clear());
    await ui.page.getByRole('button', { name: /^Run example 1/ }).click();
    await expect.poll(() => ui.page.locator('vt-interface [part=error]').textContent()).toBe('A valid bearer token is required');
    const field = ui.page.getByLabel('This demo needs an access token');
    await field.fill('s3cret');
    await field.press('Enter');
    await expect.poll(labelText).toBe('Red');
    await expect(ui.page.locator('vt-interface [part=token]').count()).resolves.toBe(0);
    await ui.page.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => authHeaders.length).toBe(3);
    expect(authHeaders).toEqual([null, 'Bearer s3cret', 'Bearer s3cret']);
    await ui.page.evaluate(() => sessionStorage.clear());
  });

  it('sends the token given as an attribute without asking', async () => {
    await ui.page.setViewportSize({ width: 1280, height: 900 });
    await ui.mount('<vt-interface src="/locked/" token="s3cret"></vt-interface>');
    await ui.page.waitForFunction(() => (window as unknown as { vtEvents: Array<{ type: string }> }).vtEvents.some((e) => e.type === 'vt-load'));
    await ui.page.getByRole('button', { name: /^Run example 1/ }).click();
    await expect.poll(labelText).toBe('Red');
    expect(authHeaders).toEqual(['Bearer s3cret']);
  });

  it('shows a busy state while running and keeps focus on Submit', async () => {
    await mountApp();
    await chooseFile(red);
    predictDelayMs = 400;
    const submit = ui.page.getByRole('button', { name: 'Submit' });
    await submit.focus();
    await ui.page.keyboard.press('Enter');
    const busy = ui.page.locator('vt-interface [part="submit-button"]');
    await expect.poll(() => busy.getAttribute('aria-disabled')).toBe('true');
    await expect(ui.page.locator('vt-interface [part="outputs-panel"]').getAttribute('aria-busy')).resolves.toBe('true');
    // A second press while busy sends nothing more.
    await ui.page.keyboard.press('Enter');
    await expect.poll(labelText).toBe('Red');
    expect(predictBodies.length).toBe(1);
    expect(await busy.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
  });

  it('works from the keyboard alone: Tab to the picker, Enter, Ctrl+Enter runs', async () => {
    await mountApp();
    await ui.page.locator('body').focus();
    const focusedName = () =>
      ui.page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el === null ? '' : (el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
      });
    const tabTo = async (name: RegExp): Promise<string> => {
      for (let i = 0; i < 12 && !name.test(await focusedName()); i++) await ui.page.keyboard.press('Tab');
      return focusedName();
    };
    // The description's link comes first, then the image drop zone.
    expect(await tabTo(/^Picture:/)).toMatch(/^Picture: no image chosen/);
    const [chooser] = await Promise.all([ui.page.waitForEvent('filechooser'), ui.page.keyboard.press('Enter')]);
    await chooser.setFiles({ name: 'red.png', mimeType: 'image/png', buffer: red });
    await ui.page.waitForFunction(() => document.querySelector('vt-interface')?.shadowRoot?.querySelector('vt-image')?.value != null);
    // Then the picker's buttons, then the note.
    expect(await tabTo(/^Remove the image from Picture$/)).toBe('Remove the image from Picture');
    await ui.page.keyboard.press('Tab');
    await ui.page.keyboard.type('typed');
    await ui.page.keyboard.press('Control+Enter');
    await expect.poll(labelText).toBe('Red');
    expect(predictBodies.at(-1)?.note).toBe('typed');
  });

  it('stacks the panels at 375 px without horizontal scrolling, and sets them side by side on desktop', async () => {
    await mountApp();
    const panels = () =>
      ui.page.evaluate(() => {
        const root = document.querySelector('vt-interface')?.shadowRoot;
        const box = (part: string) => root?.querySelector(`[part="${part}"]`)?.getBoundingClientRect();
        return { inputs: box('inputs-panel'), outputs: box('outputs-panel'), scroll: document.documentElement.scrollWidth };
      });
    const wide = await panels();
    expect(wide.outputs?.left).toBeGreaterThan(wide.inputs?.right ?? Infinity);
    await ui.page.setViewportSize({ width: 375, height: 800 });
    await expect.poll(async () => (await panels()).outputs?.top).toBeGreaterThanOrEqual((await panels()).inputs?.bottom ?? Infinity);
    expect((await panels()).scroll).toBeLessThanOrEqual(375);
  });

  it('embeds an interface from another origin given an absolute src', async () => {
    await mountApp(`${api.origin}/app`);
    await ui.page.getByRole('button', { name: /^Run example 1/ }).click();
    await expect.poll(labelText).toBe('Red');
    expect(api.requests).toEqual(expect.arrayContaining(['GET /app/api/config', 'GET /app/examples/0/red.png', 'POST /app/api/predict']));
    // The page's img-src does not allow the other origin, so the thumbnail is shown as a data URL.
    await expect.poll(() => ui.page.locator('vt-interface .example img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await ui.page.getByText('Use via API').click();
    await expect(ui.page.locator('vt-interface .snippet pre').first().textContent()).resolves.toContain(`${api.origin}/app/api/predict`);
  });

  it('says why when the config cannot be loaded', async () => {
    await ui.mount('<vt-interface src="/broken/"></vt-interface>');
    await expect
      .poll(() => ui.page.getByRole('alert').textContent())
      .toBe(`Could not load the interface from ${ui.server.origin}/broken/: The model is not available: still loading`);
  });

  it('says so when src is not a URL', async () => {
    await ui.mount('<vt-interface src="http://"></vt-interface>');
    await expect.poll(() => ui.page.getByRole('alert').textContent()).toBe('Could not load the interface: "http://" is not a valid URL');
  });

  it("never lets a config set anything but the elements' declared properties", async () => {
    await ui.mount('<vt-interface src="/hostile/"></vt-interface>');
    await ui.page.waitForFunction(() => (window as unknown as { vtEvents: Array<{ type: string }> }).vtEvents.some((e) => e.type === 'vt-load'));
    const fields = await ui.page.evaluate(() =>
      [...(document.querySelector('vt-interface')?.shadowRoot?.querySelectorAll('[part="input"]') ?? [])].map((el) => ({
        tag: el.localName,
        children: el.children.length,
        onclick: (el as HTMLElement).onclick,
      })),
    );
    // The unknown tag falls back to the JSON editor; innerHTML and onclick were not applied.
    expect(fields).toEqual([
      { tag: 'vt-textbox', children: 0, onclick: null },
      { tag: 'vt-json', children: 0, onclick: null },
    ]);
    await expect(ui.page.getByRole('textbox', { name: 'a' }).getAttribute('placeholder')).resolves.toBe('ok');
  });

  it('logged no console errors and no CSP violations across the suite', async () => {
    // The only expected console lines are Chromium's own notes on the 4xx/5xx answers above, and
    // the 404 of the unknown kind's element module (that field falls back to the JSON editor).
    const unexpected = ui.problems
      .all()
      .filter((p) => !/Failed to load resource: the server responded with a status of (400|401|500|503)/.test(p) && !/404 .*\/elements\/nonexistent\.js/.test(p));
    expect(unexpected).toEqual([]);
    expect(await ui.cspViolations()).toEqual([]);
  });
});
