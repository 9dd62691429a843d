import { Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** A number with its meaning; a link into the page that lists what it counts. */
export function StatTile({
  label,
  value,
  to,
  hint,
}: {
  label: string;
  value: ReactNode;
  to?: string;
  hint?: string;
}) {
  const content = (
    <Paper withBorder p="md" h="100%">
      <Text size="sm">{label}</Text>
      <div className="tile-number">{value}</div>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
  return to ? (
    <Link className="tile-link" to={to}>
      {content}
    </Link>
  ) : (
    content
  );
}
