/** A stand-in for `<vt-interface>` in the controllers' unit tests: counts update requests, runs in Node without a DOM. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A ReactiveControllerHost that records its controllers and how often it was asked to update. */
export class FakeHost implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  updates = 0;
  readonly updateComplete = Promise.resolve(true);

  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }

  removeController(controller: ReactiveController): void {
    this.controllers.splice(this.controllers.indexOf(controller), 1);
  }

  requestUpdate(): void {
    this.updates++;
  }

  /** What Lit does around a render: every controller's hostUpdate. */
  update(): void {
    for (const c of this.controllers) c.hostUpdate?.();
  }

  disconnect(): void {
    for (const c of this.controllers) c.hostDisconnected?.();
  }
}

/** A fetch that answers from a script, recording each call's URL and init. */
export function scriptedFetch(answer: (url: string, init: RequestInit | undefined) => Response | Promise<Response>) {
  const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fetch = (async (input: URL | RequestInfo, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    calls.push({ url, init });
    if (init?.signal?.aborted) throw init.signal.reason;
    return answer(url, init);
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

/** A JSON response, as the API sends it. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}
