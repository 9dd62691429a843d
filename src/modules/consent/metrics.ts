import type { Counter } from 'prom-client';
import type { StewardMetrics } from '../../kernel/metrics/steward-metrics.ts';

/** Where a consent check's answer came from: this process's cache, the database, or a failure (fails closed). */
export interface ConsentCheckCounters {
  cache: Counter.Internal;
  database: Counter.Internal;
  error: Counter.Internal;
}

const bound = new WeakMap<StewardMetrics, ConsentCheckCounters>();

/**
 * steward_consent_checks_total by where the answer came from; the cache hit rate is
 * `rate(…{answered_from="cache"}[5m]) / rate(steward_consent_checks_total[5m])`. The labelled
 * counters are bound once per registry, so a check on the hot path costs one increment.
 */
export function consentCheckCounters(metrics: StewardMetrics): ConsentCheckCounters {
  let counters = bound.get(metrics);
  if (!counters) {
    const checks = metrics.counter({
      name: 'steward_consent_checks_total',
      help: 'Consent checks answered, by where the answer came from (cache, database, error: failed closed).',
      labelNames: ['answered_from'],
    });
    counters = {
      cache: checks.labels('cache'),
      database: checks.labels('database'),
      error: checks.labels('error'),
    };
    // Written at zero from the start, so rates and ratios have a beginning.
    for (const counter of Object.values(counters)) counter.inc(0);
    bound.set(metrics, counters);
  }
  return counters;
}
