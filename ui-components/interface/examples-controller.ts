/** The examples gallery's files: an example names a file (an image) by URL; this fetches it as the data: URL its field takes. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ExampleView } from '../internal/field-element.ts';
import { urlToDataUrl } from '../internal/files.ts';

/** What the examples controller needs from its host. */
export interface ExamplesOptions {
  /** Fetches a file as a data: URL (default: files.ts's `urlToDataUrl`). */
  toDataUrl?: (url: URL, signal: AbortSignal) => Promise<string>;
  /** The page's origin: files from it need no fetching ahead (default `location.origin`). */
  origin?: () => string;
}

/**
 * Keeps the example files already fetched. An embedding page's CSP allows the interface's origin
 * in connect-src (the API needs it) but rarely in img-src, so cross-origin thumbnails are fetched
 * ahead and shown as data URLs.
 *
 * @example
 * const examples = new ExamplesController(this);
 * const value = await examples.value(view, rawValue, signal); // the data: URL of an example image
 */
export class ExamplesController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #opts: ExamplesOptions;
  /** Fetched files as data URLs, by absolute URL. */
  #files = new Map<string, string>();

  constructor(host: ReactiveControllerHost, opts: ExamplesOptions = {}) {
    this.#host = host;
    this.#opts = opts;
    host.addController(this);
  }

  hostConnected(): void {}

  /** Forgets the files of the last config. */
  reset(): void {
    this.#files = new Map();
  }

  /**
   * The `src` of a view's thumbnail: the fetched data URL, the file's own URL when it is on the
   * page's origin, or null while a cross-origin file is not fetched yet.
   */
  thumbnail(view: ExampleView): string | null {
    if (view.noThumbnail) return null;
    if (view.file === undefined) return view.thumbnail ?? null;
    return this.#files.get(view.file.href) ?? (view.file.origin === this.#origin() ? view.file.href : null);
  }

  /** The value an example gives its field: the file it names as a data URL, else the value itself. */
  async value(view: ExampleView, value: unknown, signal: AbortSignal): Promise<unknown> {
    if (view.file === undefined) return value;
    return this.#files.get(view.file.href) ?? this.#fetch(view.file, signal);
  }

  /**
   * Fetches, one after the other, the cross-origin files these views name (the first 48
   * examples' worth), so their thumbnails can show; each arrival updates the host.
   */
  async prefetch(views: readonly ExampleView[], signal: AbortSignal): Promise<void> {
    const urls = new Set(views.flatMap((v) => (v.file !== undefined && v.file.origin !== this.#origin() ? [v.file.href] : [])));
    for (const url of urls) {
      try {
        this.#files.set(url, await this.#fetch(new URL(url), signal));
        this.#host.requestUpdate();
      } catch {
        if (signal.aborted) return;
      }
    }
  }

  #fetch(url: URL, signal: AbortSignal): Promise<string> {
    return (this.#opts.toDataUrl ?? urlToDataUrl)(url, signal);
  }

  #origin(): string {
    return this.#opts.origin ? this.#opts.origin() : location.origin;
  }
}
