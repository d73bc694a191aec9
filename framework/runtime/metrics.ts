/** Prometheus text-format metrics: counters, gauges and histograms with labels, no dependencies. */

type Labels = Record<string, string>;

// Every request observes a few metrics, so the key is built without sorting or escaping what
// needs neither (the label names are the code's own; most values have nothing to escape).
const NEEDS_ESCAPE = /[\\"\n]/;

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  if (keys.length > 1) keys.sort();
  let key = '{';
  for (let i = 0; i < keys.length; i++) {
    const value = labels[keys[i]!]!;
    const escaped = NEEDS_ESCAPE.test(value) ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : value;
    key += `${i === 0 ? '' : ','}${keys[i]}="${escaped}"`;
  }
  return `${key}}`;
}

interface Metric {
  render(): string;
}

/** A monotonically increasing count: incremented here, or read from a source that only grows. */
export class Counter implements Metric {
  readonly #values = new Map<string, number>();
  readonly #sources = new Map<string, () => number>();
  readonly name: string;
  readonly help: string;
  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }
  inc(labels: Labels = {}, by = 1): void {
    const k = labelKey(labels);
    this.#values.set(k, (this.#values.get(k) ?? 0) + by);
  }
  /** Reads the count when scraped (for counts kept elsewhere, such as worker restarts). */
  track(labels: Labels, read: () => number): void {
    this.#sources.set(labelKey(labels), read);
  }
  get(labels: Labels = {}): number {
    const k = labelKey(labels);
    return this.#sources.get(k)?.() ?? this.#values.get(k) ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.#values.size === 0 && this.#sources.size === 0) lines.push(`${this.name} 0`);
    for (const [k, v] of this.#values) lines.push(`${this.name}${k} ${v}`);
    for (const [k, read] of this.#sources) lines.push(`${this.name}${k} ${read()}`);
    return lines.join('\n');
  }
}

/** A value read when scraped. */
export class Gauge implements Metric {
  readonly #sources = new Map<string, () => number>();
  readonly name: string;
  readonly help: string;
  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }
  track(labels: Labels, read: () => number): void {
    this.#sources.set(labelKey(labels), read);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const [k, read] of this.#sources) lines.push(`${this.name}${k} ${read()}`);
    return lines.join('\n');
  }
}

/** Observations counted into fixed cumulative buckets. */
export class Histogram implements Metric {
  readonly #series = new Map<string, { counts: number[]; sum: number; count: number }>();
  readonly name: string;
  readonly help: string;
  readonly buckets: readonly number[];
  constructor(name: string, help: string, buckets: readonly number[]) {
    this.name = name;
    this.help = help;
    this.buckets = buckets;
  }
  observe(labels: Labels, value: number): void {
    const k = labelKey(labels);
    let s = this.#series.get(k);
    if (!s) this.#series.set(k, (s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.#series) {
      const inner = k === '' ? '' : k.slice(1, -1) + ',';
      this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket{${inner}le="${b}"} ${s.counts[i]}`));
      lines.push(`${this.name}_bucket{${inner}le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum${k} ${s.sum}`);
      lines.push(`${this.name}_count${k} ${s.count}`);
    }
    return lines.join('\n');
  }
}

/**
 * The server's metrics, shared by every mounted interface (label `app` tells them apart).
 *
 * @example
 * const m = new ServerMetrics(); m.requests.inc({ app: '/', status: '200' }); m.render();
 */
export class ServerMetrics {
  readonly requests = new Counter('vitrine_requests_total', 'Predict requests answered, by app and status code');
  readonly rejections = new Counter('vitrine_rejections_total', 'Requests refused before running, by app and reason');
  readonly queueLength = new Gauge('vitrine_queue_length', 'Requests waiting for a worker');
  readonly inFlight = new Gauge('vitrine_in_flight', 'Requests being processed by the function');
  readonly workersReady = new Gauge('vitrine_workers_ready', 'Worker threads that have loaded the app and take requests (0 for an app in the main thread)');
  readonly workerRestarts = new Counter('vitrine_worker_restarts_total', 'Worker threads started again after one died');
  readonly batchSize = new Histogram('vitrine_batch_size', 'Requests per call of the function', [1, 2, 4, 8, 16, 32, 64, 128]);
  readonly latency = new Histogram('vitrine_request_duration_seconds', 'Predict latency from parsed request to reply', [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
  ]);
  readonly queueWait = new Histogram('vitrine_queue_wait_seconds', 'Time a request waited in the queue', [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5,
  ]);

  render(): string {
    return [this.requests, this.rejections, this.queueLength, this.inFlight, this.workersReady, this.workerRestarts, this.batchSize, this.latency, this.queueWait]
      .map((m) => m.render())
      .join('\n') + '\n';
  }
}
