/** ServerMetrics renders valid Prometheus text: escaped labels, inclusive histogram buckets, one series per app. */
import { describe, expect, it } from 'vitest';
import parsePrometheus from 'parse-prometheus-text-format';
import { ServerMetrics } from '../../framework/runtime/metrics.ts';
import { sample, samplesOf } from './prometheus.ts';

describe('ServerMetrics.render', () => {
  it('renders every family, even before any request, ending with a newline', () => {
    const text = new ServerMetrics().render();
    expect(text.endsWith('\n')).toBe(true);
    const types = new Map(parsePrometheus(text).map((f) => [f.name, f.type]));
    expect(Object.fromEntries(types)).toEqual({
      vitrine_requests_total: 'COUNTER',
      vitrine_rejections_total: 'COUNTER',
      vitrine_queue_length: 'GAUGE',
      vitrine_in_flight: 'GAUGE',
      vitrine_workers_ready: 'GAUGE',
      vitrine_worker_restarts_total: 'COUNTER',
      vitrine_batch_size: 'HISTOGRAM',
      vitrine_request_duration_seconds: 'HISTOGRAM',
      vitrine_queue_wait_seconds: 'HISTOGRAM',
    });
    expect(sample(text, 'vitrine_rejections_total', {})).toBe(0);
  });

  it('escapes label values so any app prefix reads back unchanged', () => {
    const m = new ServerMetrics();
    const odd = 'a "quoted" \\ back\nslash';
    m.requests.inc({ app: odd, status: '200' }, 3);
    m.queueLength.track({ app: odd }, () => 4);
    const text = m.render();
    expect(sample(text, 'vitrine_requests_total', { app: odd, status: '200' })).toBe(3);
    expect(sample(text, 'vitrine_queue_length', { app: odd })).toBe(4);
  });

  it('counts an observation on a bucket bound in that bucket (le is inclusive), cumulatively, per app', () => {
    const m = new ServerMetrics();
    for (const n of [1, 2, 3, 8, 200]) m.batchSize.observe({ app: '/' }, n);
    m.batchSize.observe({ app: '/other/' }, 5);
    const s = samplesOf(m.render()).filter((x) => x.name === 'vitrine_batch_size_bucket' && x.labels.app === '/');
    const byLe = Object.fromEntries(s.map((x) => [x.labels.le, x.value]));
    expect(byLe).toEqual({ '1': 1, '2': 2, '4': 3, '8': 4, '16': 4, '32': 4, '64': 4, '128': 4, '+Inf': 5 });
    const text = m.render();
    expect(sample(text, 'vitrine_batch_size_sum', { app: '/' })).toBe(214);
    expect(sample(text, 'vitrine_batch_size_count', { app: '/other/' })).toBe(1);
  });
});
