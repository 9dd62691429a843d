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
  const httpDuration = new Histogram({
    name: 'steward_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by route pattern, method and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  // One labelled child per route, method and status, found without hashing the labels each time.
  const httpChildren = new Map<string, Histogram.Internal<string>>();
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
      const key = `${statusCode}${method}${route}`;
      let child = httpChildren.get(key);
      if (!child) {
        child = httpDuration.labels(method, route, String(statusCode));
        httpChildren.set(key, child);
      }
      child.observe(seconds);
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
