/** The command line: where each module is mounted, options, and the mistakes it refuses. */
import { describe, expect, it } from 'vitest';
import { UsageError, mountArgs, parseCommand } from './args.ts';

const CWD = '/home/me/demo';

describe('mountArgs', () => {
  it('mounts the first module at / and names the others after their folder or file', () => {
    const mounts = mountArgs(['app.ts', 'apps/image-effects/app.ts', 'tools/echo.ts', 'x/index.ts'], CWD);
    expect(mounts.map((m) => [m.prefix, m.module, m.exportName])).toEqual([
      ['/', '/home/me/demo/app.ts', 'default'],
      ['/image-effects', '/home/me/demo/apps/image-effects/app.ts', 'default'],
      ['/echo', '/home/me/demo/tools/echo.ts', 'default'],
      ['/x', '/home/me/demo/x/index.ts', 'default'],
    ]);
  });

  it('takes an explicit path and a named export', () => {
    const mounts = mountArgs(['/fx=effects/app.ts#effects', 'main.ts'], CWD);
    expect(mounts.map((m) => [m.prefix, m.module, m.exportName])).toEqual([
      ['/fx', '/home/me/demo/effects/app.ts', 'effects'],
      ['/', '/home/me/demo/main.ts', 'default'],
    ]);
  });

  it('an explicit / leaves the others to be named', () => {
    expect(mountArgs(['a/app.ts', '/=b/app.ts'], CWD).map((m) => m.prefix)).toEqual(['/a', '/']);
  });

  it('refuses two apps at one path, and paths a URL cannot hold', () => {
    expect(() => mountArgs(['app.ts', 'a/app.ts', 'b/a.ts'], CWD)).toThrow(new UsageError('"a/app.ts" and "b/a.ts" would both be served at /a; choose with /path=b/a.ts'));
    expect(() => mountArgs(['/a b=app.ts'], CWD)).toThrow(/not a path to serve at/);
    expect(() => mountArgs(['app.ts#'], CWD)).toThrow(/is not a module/);
  });
});

describe('parseCommand', () => {
  it('serve with its options', () => {
    expect(parseCommand(['serve', 'app.ts', '--port', '8080', '--host', '0.0.0.0', '--reload'], CWD)).toMatchObject({
      name: 'serve',
      port: 8080,
      host: '0.0.0.0',
      reload: true,
      liveReload: false,
    });
    expect(parseCommand(['serve', 'app.ts'], CWD)).toMatchObject({ port: undefined, host: undefined, reload: false });
  });

  it('onnx with its options, paths resolved against the working folder', () => {
    expect(parseCommand(['onnx', 'm.onnx', '--labels', 'l.txt', '--mean', '0.5', '--std', '0.2,0.3,0.4', '--top-k', '5', '--size', '224x200', '--mcp'], CWD)).toEqual({
      name: 'onnx',
      classifier: { model: '/home/me/demo/m.onnx', labels: '/home/me/demo/l.txt', mean: [0.5], std: [0.2, 0.3, 0.4], topK: 5, size: [224, 200] },
      port: undefined,
      host: undefined,
      mcp: true,
    });
  });

  it('openapi, help and version', () => {
    expect(parseCommand(['openapi', 'app.ts', '--out', 'doc.json'], CWD)).toMatchObject({ name: 'openapi', out: 'doc.json', mount: { module: '/home/me/demo/app.ts' } });
    expect(parseCommand([], CWD)).toEqual({ name: 'help' });
    expect(parseCommand(['serve', '--help'], CWD)).toEqual({ name: 'help' });
    expect(parseCommand(['-v'], CWD)).toEqual({ name: 'version' });
  });

  it.each([
    [['serve'], 'serve needs at least one module'],
    [['serve', 'app.ts', '--port', '70000'], '--port must be a number from 0 to 65535; got "70000"'],
    [['serve', 'app.ts', '--port', '0', '--reload'], '--reload keeps the port across restarts'],
    [['serve', 'app.ts', '--out', 'x'], '--out is an option of openapi'],
    [['serve', 'app.ts', '--colour'], "Unknown option '--colour'"],
    [['openapi'], 'openapi takes exactly one module'],
    [['openapi', 'app.ts', '--port', '1'], '--port is an option of serve'],
    [['deploy', 'app.ts'], 'unknown command "deploy"'],
    [['onnx'], 'onnx takes exactly one model file'],
    [['onnx', 'm.onnx', '--top-k', '0'], '--top-k must be a whole number ≥ 1; got "0"'],
    [['onnx', 'm.onnx', '--size', '224x'], '--size takes HEIGHTxWIDTH or one number'],
    [['onnx', 'm.onnx', '--reload'], '--reload is an option of serve, not onnx'],
    [['serve', 'app.ts', '--labels', 'l.txt'], '--labels is an option of onnx, not serve'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommand(argv, CWD)).toThrow(UsageError);
    expect(() => parseCommand(argv, CWD)).toThrow(message);
  });
});
