/** What the page reads: the server's config type (no parser of its own), base URL resolution, the error shape. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { Interface, Textbox } from '../../framework/index.ts';
import { buildConfig, type InterfaceConfigSchema } from '../../framework/server/interface-config.ts';
import { isApiError, resolveBase, type InterfaceConfig } from './config.ts';

describe('InterfaceConfig', () => {
  it("is the server's schema type: the page has no parser of its own", () => {
    expectTypeOf<InterfaceConfig>().toEqualTypeOf<z.infer<typeof InterfaceConfigSchema>>();
  });

  it('is what the server builds for an interface', () => {
    const built = buildConfig(Interface({ fn: (t: string) => t, inputs: Textbox({ label: 'Note' }), outputs: Textbox() }), [], { flagging: false });
    const page: InterfaceConfig = built;
    expect(page.inputs[0]).toEqual({ name: 'textbox', kind: 'textbox', tag: 'vt-textbox', element: 'elements/textbox.js', file: false, sample: 'Hello', label: 'Note', props: expect.any(Object) });
    expect(page.api).toMatchObject({ predict: 'api/predict', flag: null, docs: 'docs' });
  });
});

describe('resolveBase', () => {
  it('makes src absolute and ends it with a slash', () => {
    expect(resolveBase('http://host:7860', 'http://page.example/x/y.html').href).toBe('http://host:7860/');
    expect(resolveBase('http://host:7860/image-effects?x=1#y', 'http://page/').href).toBe('http://host:7860/image-effects/');
    expect(resolveBase('/image-effects/', 'http://host:7860/').href).toBe('http://host:7860/image-effects/');
  });

  it("defaults to the page's own directory", () => {
    expect(resolveBase('', 'http://host:7860/image-effects/').href).toBe('http://host:7860/image-effects/');
    expect(resolveBase(null, 'http://host:7860/a/page.html').href).toBe('http://host:7860/a/');
  });
});

describe('isApiError', () => {
  it('recognises the API error shape only', () => {
    expect(isApiError({ error: 'INVALID_IMAGE', message: 'bad' })).toBe(true);
    expect(isApiError({ error: 'X' })).toBe(false);
    expect(isApiError('error')).toBe(false);
  });
});
