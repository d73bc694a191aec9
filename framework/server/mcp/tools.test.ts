/** An interface as an MCP tool: its name, and outputs as MCP content. */
import { describe, expect, it } from 'vitest';
import { AnnotatedImage, Gallery, Image, Interface, Label, Textbox } from '../../index.ts';
import { toolContent, toolName } from './tools.ts';

const echo = (fn: (t: string) => string, title?: string) => Interface({ fn, inputs: Textbox(), outputs: Textbox(), ...(title === undefined ? {} : { title }) });

describe('toolName', () => {
  it("is the function's name, else the title, else predict; only the characters MCP allows", () => {
    expect(toolName(echo(function tidyUp(t) { return t; }))).toBe('tidyUp');
    expect(toolName(Interface({ fn: (t: string) => t, inputs: Textbox(), outputs: Textbox(), title: 'Échos — loud & clear!' }))).toBe('chos_loud_clear');
    expect(toolName(Interface({ fn: (t: string) => t, inputs: Textbox(), outputs: Textbox() }))).toBe('predict');
    expect(toolName(echo((t) => t, 'x'.repeat(100)))).toHaveLength(64);
  });
});

describe('toolContent', () => {
  it('a picture as image content, a string as its text, anything else as JSON text, in output order', () => {
    const iface = Interface({
      fn: () => ({ label: 'a', seen: { data: new Uint8Array(1), width: 1, height: 1, channels: 1 as const }, note: 'hi' }),
      inputs: Textbox(),
      outputs: { label: Label(), seen: Image(), note: Textbox() },
    });
    expect(toolContent(iface, { note: 'hi', seen: 'data:image/png;base64,iVBORw0K', label: { label: 'a', confidences: [{ label: 'a', confidence: 1 }] } })).toEqual([
      { type: 'text', text: '{"label":"a","confidences":[{"label":"a","confidence":1}]}' },
      { type: 'image', mimeType: 'image/png', data: 'iVBORw0K' },
      { type: 'text', text: 'hi' },
    ]);
  });

  it('a value with pictures inside: its JSON with each picture named by its place, then the pictures as image content', () => {
    const picture = { data: new Uint8Array(1), width: 1, height: 1, channels: 1 as const };
    const iface = Interface({
      fn: () => ({ variants: [{ image: picture, caption: 'a' }], found: { image: picture, annotations: [{ label: 'shoe', box: [0, 0, 1, 1] as const }] } }),
      inputs: Textbox(),
      outputs: { variants: Gallery(), found: AnnotatedImage() },
    });
    const content = toolContent(iface, {
      variants: [{ image: 'data:image/png;base64,AAAA', caption: 'a' }],
      found: { image: 'data:image/png;base64,BBBB', annotations: [{ label: 'shoe', box: [0, 0, 1, 1] }] },
    });
    expect(content).toEqual([
      { type: 'text', text: '[{"image":"(image 1 of variants, below)","caption":"a"}]' },
      { type: 'image', mimeType: 'image/png', data: 'AAAA' },
      { type: 'text', text: '{"image":"(image 1 of found, below)","annotations":[{"label":"shoe","box":[0,0,1,1]}]}' },
      { type: 'image', mimeType: 'image/png', data: 'BBBB' },
    ]);
  });
});
