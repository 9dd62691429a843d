import { collectDefaultMetrics, Counter, Histogram, Registry, type Metric } from 'prom-client';

/** A metric's name (`steward_…`), its help text and the names of its labels. */
export interface MetricDefinition<Label extends string> {
  name: string;
  help: string;
  labelNames?: readonly Label[];
}

/** One value of a gauge read at scrape time, with its labels. */
export interface GaugeSample<Label extends string> {
  labels?: Partial<Record<Label, string>>;
  value: number;
}

export interface MetricsSettings {
  /** How long a gauge read at scrape time may take before that scrape leaves it out. */
  scrapeTimeoutMs: number;
}

/**
 * The Prometheus metrics of one Steward process (prom-client, on a registry of its own so several
 * apps in one test process do not collide). Counters and histograms are updated where things
 * happen; gauges that need a query are read when Prometheus scrapes, each within the scrape
 * timeout. Metrics carry no personal data: labels are route patterns, queue names and states.
 */
export interface StewardMetrics {
  readonly registry: Registry;
  /** The counter of that name, created on first use (module code may ask for it more than once). */
  counter<Label extends string = never>(definition: MetricDefinition<Label>): Counter<Label>;
  histogram<Label extends string = never>(
    definition: MetricDefinition<Label> & { buckets?: number[] },
  ): Histogram<Label>;
  /**
   * A gauge whose samples `read` returns when Prometheus scrapes. A read that fails or takes longer
   * than the scrape timeout leaves the gauge out of that scrape and counts in
   * steward_metrics_read_failures_total; scrapes arriving while a read runs share it.
   */
  gaugeAtScrape<Label extends string = never>(
    definition: MetricDefinition<Label>,
    read: () => Promise<readonly GaugeSample<Label>[]>,
  ): void;
  /** One answered HTTP request: its route pattern (never the URL), method, status and duration. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void;
  /** Process CPU, memory, handles and event-loop delay; for processes that are scraped. */
  collectProcessMetrics(): void;
  /** The exposition text (Prometheus text format 0.0.4). */
  scrape(): Promise<string>;
  readonly contentType: string;
}

/** Request durations from 1 ms (a cached consent check) to 10 s (an export), in seconds. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createStewardMetrics(settings: MetricsSettings): StewardMetrics {
  const registry = new Registry();
  const existing = <M>(name: string): M | undefined => registry.getSingleMetric(name) as M | undefined;
  const readFailures = new Counter({
    name: 'steward_metrics_read_failures_total',
    help: 'Gauges left out of a scrape because reading them failed or took longer than metrics.scrapeTimeoutMs.',
    labelNames: ['metric'],
    registers: [registry],
  });
  const httpDurations = new RequestDurations();
  registry.registerMetric(httpDurations.collector() as unknown as Metric);
  let processMetrics = false;
  /** Per gauge read at scrape time, the read that updates its samples. */
  const refreshers = new Map<string, () => Promise<void>>();

  return {
    registry,
    contentType: registry.contentType,
    counter<Label extends string>(definition: MetricDefinition<Label>) {
      return (
        existing<Counter<Label>>(definition.name) ??
        new Counter<Label>({ ...definition, labelNames: definition.labelNames ?? [], registers: [registry] })
      );
    },
    histogram<Label extends string>(definition: MetricDefinition<Label> & { buckets?: number[] }) {
      return (
        existing<Histogram<Label>>(definition.name) ??
        new Histogram<Label>({
          ...definition,
          labelNames: definition.labelNames ?? [],
          registers: [registry],
        })
      );
    },
    gaugeAtScrape<Label extends string>(
      definition: MetricDefinition<Label>,
      read: () => Promise<readonly GaugeSample<Label>[]>,
    ) {
      // Registered again (a module's metrics wired twice on one registry): the latest reader wins.
      registry.removeSingleMetric(definition.name);
      let inFlight: Promise<readonly GaugeSample<Label>[]> | undefined;
      let latest: readonly GaugeSample<Label>[] = [];
      refreshers.set(definition.name, async () => {
        inFlight ??= read().finally(() => {
          inFlight = undefined;
        });
        try {
          latest = await withinTime(inFlight, settings.scrapeTimeoutMs);
        } catch {
          latest = [];
          readFailures.inc({ metric: definition.name });
        }
      });
      // A metric of its own rather than a prom-client Gauge: a Gauge without labels always writes a
      // sample (0 after a reset), and a failed read must leave the series out, not read as zero.
      const collector = {
        name: definition.name,
        help: definition.help,
        type: 'gauge',
        aggregator: 'sum',
        reset() {},
        get: async () => ({
          name: definition.name,
          help: definition.help,
          type: 'gauge',
          aggregator: 'sum',
          values: latest.map((sample) => ({ value: sample.value, labels: sample.labels ?? {} })),
        }),
      };
      registry.registerMetric(collector as unknown as Metric);
    },
    observeRequest(method, route, statusCode, seconds) {
      httpDurations.observe(method, route, statusCode, seconds);
    },
    collectProcessMetrics() {
      if (processMetrics) return;
      processMetrics = true;
      collectDefaultMetrics({ register: registry });
    },
    async scrape() {
      // Every gauge is read first (in parallel, each within the timeout), so a read that fails is
      // already counted in steward_metrics_read_failures_total when the text is written.
      await Promise.all([...refreshers.values()].map((refresh) => refresh()));
      return registry.metrics();
    },
  };
}

/** The value of `promise`, or a rejection once `ms` have passed (the timer never keeps the process up). */
function withinTime<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One series of the request histogram: counts per bucket (not yet cumulative), sum and count. */
interface DurationSeries {
  labels: { method: string; route: string; status_code: string };
  buckets: Float64Array;
  sum: number;
  count: number;
}

/**
 * steward_http_request_duration_seconds, kept by hand: it is observed on every request, and
 * prom-client's Histogram hashes the label set on each observation (about as long as the rest of
 * a /healthz answer's own work); here a series is found through nested maps keyed by the strings the
 * router already holds, and the exposition is built at scrape time.
 */
class RequestDurations {
  readonly #byRoute = new Map<string, Map<number, Map<string, DurationSeries>>>();

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    let byStatus = this.#byRoute.get(route);
    if (!byStatus) this.#byRoute.set(route, (byStatus = new Map()));
    let byMethod = byStatus.get(statusCode);
    if (!byMethod) byStatus.set(statusCode, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (!series) {
      series = {
        labels: { method, route, status_code: String(statusCode) },
        buckets: new Float64Array(HTTP_BUCKETS.length),
        sum: 0,
        count: 0,
      };
      byMethod.set(method, series);
    }
    let bucket = 0;
    while (bucket < HTTP_BUCKETS.length && seconds > HTTP_BUCKETS[bucket]!) bucket++;
    if (bucket < HTTP_BUCKETS.length) series.buckets[bucket]! += 1;
    series.sum += seconds;
    series.count += 1;
  }

  /** A prom-client metric (what the registry formats) reading the series at scrape time. */
  collector() {
    const name = 'steward_http_request_duration_seconds';
    const help = 'Time to answer HTTP requests, by route pattern, method and status code.';
    const series = () =>
      [...this.#byRoute.values()].flatMap((byStatus) =>
        [...byStatus.values()].flatMap((byMethod) => [...byMethod.values()]),
      );
    return {
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      reset: () => this.#byRoute.clear(),
      get: async () => ({
        name,
        help,
        type: 'histogram',
        aggregator: 'sum',
        values: series().flatMap(({ labels, buckets, sum, count }) => {
          let cumulative = 0;
          return [
            ...HTTP_BUCKETS.map((le, index) => {
              cumulative += buckets[index]!;
              return { metricName: `${name}_bucket`, labels: { le, ...labels }, value: cumulative };
            }),
            { metricName: `${name}_bucket`, labels: { le: '+Inf', ...labels }, value: count },
            { metricName: `${name}_sum`, labels, value: sum },
            { metricName: `${name}_count`, labels, value: count },
          ];
        }),
      }),
    };
  }
}
