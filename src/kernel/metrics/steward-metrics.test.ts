import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createStewardMetrics } from './steward-metrics.ts';

/** The value of one sample in Prometheus text, or undefined when the scrape has no such line. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('Steward metrics', () => {
  test('a gauge read at scrape time reports what its read returns at that scrape', async () => {
    const metrics = createStewardMetrics({ scrapeTimeoutMs: 1000 });
    let queued = 3;
    metrics.gaugeAtScrape({ name: 'steward_test_queue', help: 'test', labelNames: ['queue'] }, async () => [
      { labels: { queue: 'a' }, value: queued },
    ]);
    assert.equal(sample(await metrics.scrape(), 'steward_test_queue{queue="a"}'), 3);
    queued = 5;
    assert.equal(sample(await metrics.scrape(), 'steward_test_queue{queue="a"}'), 5);
  });

  test('a read slower than the scrape timeout is left out of that scrape and counted, the rest still answer', async () => {
    const metrics = createStewardMetrics({ scrapeTimeoutMs: 100 });
    let release: () => void = () => {};
    const stuck = new Promise<void>((resolve) => (release = resolve));
    metrics.gaugeAtScrape({ name: 'steward_test_stuck', help: 'test' }, async () => {
      await stuck;
      return [{ value: 1 }];
    });
    metrics.gaugeAtScrape({ name: 'steward_test_fine', help: 'test' }, async () => [{ value: 7 }]);
    const started = performance.now();
    const text = await metrics.scrape();
    assert.ok(performance.now() - started < 5_000, 'the scrape did not wait for the stuck read');
    assert.equal(sample(text, 'steward_test_stuck'), undefined);
    assert.equal(sample(text, 'steward_test_fine'), 7);
    assert.equal(sample(text, 'steward_metrics_read_failures_total{metric="steward_test_stuck"}'), 1);
    release();
  });

  test('a read that fails is left out and counted; scrapes arriving during one read share it', async () => {
    const metrics = createStewardMetrics({ scrapeTimeoutMs: 1000 });
    let reads = 0;
    metrics.gaugeAtScrape({ name: 'steward_test_shared', help: 'test' }, async () => {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return [{ value: reads }];
    });
    metrics.gaugeAtScrape({ name: 'steward_test_broken', help: 'test' }, async () => {
      throw new Error('database unreachable');
    });
    const [first, second] = await Promise.all([metrics.scrape(), metrics.scrape()]);
    assert.equal(reads, 1);
    assert.equal(sample(first, 'steward_test_shared'), 1);
    assert.equal(sample(second, 'steward_test_shared'), 1);
    assert.equal(sample(first, 'steward_test_broken'), undefined);
    assert.equal(sample(second, 'steward_metrics_read_failures_total{metric="steward_test_broken"}'), 2);
  });

  test('requests are counted per route pattern, method and status, with their durations', async () => {
    const metrics = createStewardMetrics({ scrapeTimeoutMs: 1000 });
    metrics.observeRequest('GET', '/v1/requests/:id', 200, 0.004);
    metrics.observeRequest('GET', '/v1/requests/:id', 200, 0.02);
    metrics.observeRequest('GET', '/v1/requests/:id', 404, 0.001);
    const text = await metrics.scrape();
    const labels = 'method="GET",route="/v1/requests/:id",status_code="200"';
    assert.equal(sample(text, `steward_http_request_duration_seconds_count{${labels}}`), 2);
    assert.equal(sample(text, `steward_http_request_duration_seconds_bucket{le="0.005",${labels}}`), 1);
    assert.equal(sample(text, `steward_http_request_duration_seconds_bucket{le="0.025",${labels}}`), 2);
    assert.equal(
      sample(
        text,
        'steward_http_request_duration_seconds_count{method="GET",route="/v1/requests/:id",status_code="404"}',
      ),
      1,
    );
  });

  test('a counter asked for twice by name is the same counter', async () => {
    const metrics = createStewardMetrics({ scrapeTimeoutMs: 1000 });
    const definition = { name: 'steward_test_total', help: 'test', labelNames: ['kind'] as const };
    metrics.counter(definition).inc({ kind: 'a' });
    metrics.counter(definition).inc({ kind: 'a' });
    assert.equal(sample(await metrics.scrape(), 'steward_test_total{kind="a"}'), 2);
  });
});
