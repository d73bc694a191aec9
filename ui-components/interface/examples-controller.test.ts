/** ExamplesController: an example's file becomes its field's data: URL; cross-origin files are fetched ahead for their thumbnails. */
import { describe, expect, it } from 'vitest';
import { ExamplesController } from './examples-controller.ts';
import { FakeHost } from './fake-host.ts';

function setUp() {
  const host = new FakeHost();
  const fetched: string[] = [];
  const examples = new ExamplesController(host, {
    origin: () => 'http://page',
    toDataUrl: async (url) => {
      fetched.push(url.href);
      return `data:image/png;base64,${Buffer.from(url.pathname).toString('base64')}`;
    },
  });
  return { host, examples, fetched };
}

describe('ExamplesController', () => {
  it('gives a value that names no file as it is, and fetches a file as a data URL', async () => {
    const { examples, fetched } = setUp();
    const signal = new AbortController().signal;
    expect(await examples.value({ text: 'a red square' }, 'a red square', signal)).toBe('a red square');
    const view = { text: 'red.png', file: new URL('http://page/app/examples/0/red.png') };
    expect(await examples.value(view, 'examples/0/red.png', signal)).toMatch(/^data:image\/png;base64,/);
    expect(fetched).toEqual(['http://page/app/examples/0/red.png']);
  });

  it("shows a same-origin file by its URL, an inline image as it is, and a cross-origin file once it is fetched", async () => {
    const { host, examples, fetched } = setUp();
    const same = { text: 'a.png', file: new URL('http://page/app/examples/0/a.png') };
    const other = { text: 'b.png', file: new URL('http://api.example/app/examples/0/b.png') };
    expect(examples.thumbnail(same)).toBe('http://page/app/examples/0/a.png');
    expect(examples.thumbnail({ text: 'image', thumbnail: 'data:image/png;base64,AAAA' })).toBe('data:image/png;base64,AAAA');
    expect(examples.thumbnail({ text: 'note' })).toBeNull();
    expect(examples.thumbnail(other)).toBeNull();
    await examples.prefetch([same, other, other, { text: 'note' }], new AbortController().signal);
    expect(fetched).toEqual(['http://api.example/app/examples/0/b.png']);
    expect(examples.thumbnail(other)).toMatch(/^data:image\/png;base64,/);
    expect(host.updates).toBe(1);
    // A prefetched file is not fetched again to run its example.
    await examples.value(other, 'examples/0/b.png', new AbortController().signal);
    expect(fetched).toHaveLength(1);
    examples.reset();
    expect(examples.thumbnail(other)).toBeNull();
  });
});
