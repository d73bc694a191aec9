/** FlagController: sends the last run with the optional reason and the request id, once per result. */
import { describe, expect, it } from 'vitest';
import { FakeHost, jsonResponse, scriptedFetch } from './fake-host.ts';
import { FlagController } from './flag-controller.ts';
import type { Run } from './run-controller.ts';

const RUN: Run = { inputs: { image: 'data:image/png;base64,AAAA' }, outputs: { label: { label: 'Red', confidences: [] } }, requestId: 'req-1' };

function setUp(answer: Parameters<typeof scriptedFetch>[0], url: URL | null = new URL('http://h/api/flag')) {
  const statuses: number[] = [];
  const { fetch, calls } = scriptedFetch(answer);
  const flag = new FlagController(new FakeHost(), { url: () => url, headers: () => ({}), onStatus: (s) => statuses.push(s), fetch });
  return { flag, calls, statuses };
}

describe('FlagController', () => {
  it('sends inputs, outputs, the trimmed reason and the request id; once sent, never twice', async () => {
    const { flag, calls } = setUp(() => jsonResponse({ id: 'flag-1' }));
    expect(await flag.send(RUN, '  looks orange  ')).toBe(true);
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({ ...RUN, reason: 'looks orange' });
    expect(flag).toMatchObject({ state: 'sent', message: 'Flagged. Thank you.' });
    expect(await flag.send(RUN, '')).toBe(false);
    expect(calls).toHaveLength(1);
    flag.reset();
    expect(await flag.send({ ...RUN, requestId: null }, '')).toBe(true);
    expect(JSON.parse(String(calls[1]!.init?.body))).toEqual({ inputs: RUN.inputs, outputs: RUN.outputs });
  });

  it("says why a flag failed, with the API's message, and reports the status", async () => {
    const { flag, statuses } = setUp(() => jsonResponse({ error: 'FLAG_STORE_FULL', message: 'The flag store is full: the disk is full' }, 507));
    expect(await flag.send(RUN, '')).toBe(false);
    expect(flag).toMatchObject({ state: 'failed', message: 'Could not flag: The flag store is full: the disk is full' });
    expect(statuses).toEqual([507]);
  });

  it('sends nothing when the server has flagging off', async () => {
    const { flag, calls } = setUp(() => jsonResponse({}), null);
    expect(await flag.send(RUN, 'x')).toBe(false);
    expect(calls).toHaveLength(0);
  });

  it('drops the answer about a result that a new run replaced', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { flag } = setUp(async () => {
      await held;
      return jsonResponse({ id: 'late' });
    });
    const sending = flag.send(RUN, '');
    expect(flag.state).toBe('sending');
    flag.reset();
    release();
    expect(await sending).toBe(false);
    expect(flag).toMatchObject({ state: 'idle', message: '' });
  });
});
