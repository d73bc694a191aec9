/** TokenController: the given token wins, a 401 asks for one, a typed one is kept for the tab (or in memory). */
import { describe, expect, it } from 'vitest';
import { FakeHost } from './fake-host.ts';
import { TokenController } from './token-controller.ts';

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

describe('TokenController', () => {
  it('sends no header until a token is known, then the given one', () => {
    let given = '';
    const token = new TokenController(new FakeHost(), { given: () => given, key: () => 'k', storage: () => memoryStorage() });
    expect(token.header()).toEqual({});
    given = 's3cret';
    expect(token.header()).toEqual({ authorization: 'Bearer s3cret' });
  });

  it('asks for a token after a 401 only, and stops asking once one is typed; it is kept per interface', () => {
    const host = new FakeHost();
    const storage = memoryStorage();
    const token = new TokenController(host, { given: () => '', key: () => 'vitrine-token:http://h/a/', storage: () => storage });
    token.noteStatus(200);
    token.noteStatus(503);
    expect(token.needed).toBe(false);
    token.noteStatus(401);
    expect(token.needed).toBe(true);
    expect(host.updates).toBe(1);
    expect(token.use('   ')).toBe(false);
    expect(token.use(' typed ')).toBe(true);
    expect(token.needed).toBe(false);
    expect(storage.items.get('vitrine-token:http://h/a/')).toBe('typed');
    expect(token.header()).toEqual({ authorization: 'Bearer typed' });
  });

  it('reads a token kept by an earlier page of this tab', () => {
    const storage = memoryStorage();
    storage.setItem('k', 'kept');
    expect(new TokenController(new FakeHost(), { given: () => '', key: () => 'k', storage: () => storage }).header()).toEqual({ authorization: 'Bearer kept' });
  });

  it('keeps a typed token in memory when storage throws (a sandboxed frame)', () => {
    const refusing = () => ({
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    });
    const token = new TokenController(new FakeHost(), { given: () => '', key: () => 'k', storage: refusing });
    expect(token.header()).toEqual({});
    expect(token.use('typed')).toBe(true);
    expect(token.header()).toEqual({ authorization: 'Bearer typed' });
  });
});
