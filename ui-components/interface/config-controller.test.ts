/** ConfigController: loads api/config under the base URL, again when it changes, and says why when it cannot. */
import { describe, expect, it } from 'vitest';
import type { InterfaceConfig } from '../internal/config.ts';
import { resolveBase } from '../internal/config.ts';
import { ConfigController } from './config-controller.ts';
import { FakeHost, jsonResponse, scriptedFetch } from './fake-host.ts';

const CONFIG = { title: 'T', inputs: [], outputs: [], examples: [] } as unknown as InterfaceConfig;

function setUp(answer: Parameters<typeof scriptedFetch>[0]) {
  const host = new FakeHost();
  let src = 'http://h/app';
  const loaded: Array<{ title: string; base: string }> = [];
  let loading = 0;
  const { fetch, calls } = scriptedFetch(answer);
  const config = new ConfigController(host, {
    base: () => resolveBase(src, 'http://page/'),
    src: () => src,
    onLoading: () => loading++,
    onLoaded: (c, base) => void loaded.push({ title: c.title, base: base.href }),
    fetch,
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { host, config, loaded, calls, settle, setSrc: (s: string) => (src = s), loadingCount: () => loading };
}

describe('ConfigController', () => {
  it('loads {base}api/config on the first update, and only again when the base changes', async () => {
    const t = setUp(() => jsonResponse(CONFIG));
    t.host.update();
    await t.settle();
    expect(t.calls.map((c) => c.url)).toEqual(['http://h/app/api/config']);
    expect(t.loaded).toEqual([{ title: 'T', base: 'http://h/app/' }]);
    expect(t.config.config).toEqual(CONFIG);
    t.host.update();
    await t.settle();
    expect(t.calls).toHaveLength(1);
    t.setSrc('http://h/other/');
    t.host.update();
    await t.settle();
    expect(t.calls.map((c) => c.url)).toEqual(['http://h/app/api/config', 'http://h/other/api/config']);
    expect(t.loadingCount()).toBe(2);
  });

  it("says why: the API's error message, or the status of another answer", async () => {
    const refused = setUp(() => jsonResponse({ error: 'MODEL_UNAVAILABLE', message: 'The model is not available: still loading' }, 503));
    refused.host.update();
    await refused.settle();
    expect(refused.config.config).toBeNull();
    expect(refused.config.problem).toBe('Could not load the interface from http://h/app/: The model is not available: still loading');
    const proxy = setUp(() => new Response('oops', { status: 502 }));
    proxy.host.update();
    await proxy.settle();
    expect(proxy.config.problem).toBe('Could not load the interface from http://h/app/: the server answered 502');
  });

  it('says so when src is not a URL, without fetching', async () => {
    const t = setUp(() => jsonResponse(CONFIG));
    t.setSrc('http://');
    t.host.update();
    await t.settle();
    expect(t.calls).toHaveLength(0);
    expect(t.config.problem).toBe('Could not load the interface: "http://" is not a valid URL');
  });

  it('drops a load still running when the host is disconnected, and loads again on the next update', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const t = setUp(async () => {
      await held;
      return jsonResponse(CONFIG);
    });
    t.host.update();
    t.host.disconnect();
    release();
    await t.settle();
    expect(t.loaded).toEqual([]);
    expect(t.config.problem).toBe('');
    t.host.update();
    await t.settle();
    expect(t.loaded).toHaveLength(1);
  });
});
