/** Daily given and withdrawn decisions as two lines; the numbers are in the labelled table beside it. */
export function Sparkline({
  days,
  series,
  label,
}: {
  days: string[];
  series: { given: number; withdrawn: number }[];
  label: string;
}) {
  const width = 240;
  const height = 48;
  const max = Math.max(1, ...series.flatMap((point) => [point.given, point.withdrawn]));
  const x = (index: number) => (days.length <= 1 ? width / 2 : (index / (days.length - 1)) * width);
  const y = (value: number) => height - 2 - (value / max) * (height - 4);
  const line = (pick: (point: { given: number; withdrawn: number }) => number) =>
    series
      .map((point, index) => `${index === 0 ? 'M' : 'L'}${x(index).toFixed(1)},${y(pick(point)).toFixed(1)}`)
      .join(' ');
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
    >
      <path className="given" d={line((p) => p.given)} />
      <path className="withdrawn" d={line((p) => p.withdrawn)} />
    </svg>
  );
}

/** The last `count` days as YYYY-MM-DD (UTC), oldest first, to put daily counts on one axis. */
export function lastDays(count: number, now = new Date()): string[] {
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(now.getTime() - (count - 1 - index) * 86_400_000);
    return day.toISOString().slice(0, 10);
  });
}
