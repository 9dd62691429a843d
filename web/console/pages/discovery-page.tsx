import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { formatDate, formatNumber } from '../../shared/components/formatting.ts';
import { Loading } from '../../shared/components/loading.tsx';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { api } from '../api.ts';

/**
 * The latest discovery run of each system: what sampling found column by column (categories,
 * confidence, the signals that fired with their counts). The API never returns sampled values.
 */
export function Page() {
  const { t } = useTranslation();
  const title = t('console.discovery.title');
  const runs = useQuery({
    queryKey: ['discovery-runs'],
    queryFn: () => unwrap(api.GET('/v1/discovery/runs', { params: { query: { limit: 200 } } })),
  });
  // Runs come newest first, so the first one seen for a system is its latest.
  const latest = new Map<string, string>();
  for (const run of runs.data?.items ?? []) if (!latest.has(run.system)) latest.set(run.system, run.id);
  return (
    <Stack gap="lg">
      <PageTitle documentTitle={title} app={t('console.title')}>
        {title}
      </PageTitle>
      {runs.isPending && <Loading />}
      {runs.isError && <ErrorNotice error={runs.error} />}
      {runs.data && latest.size === 0 && <Text>{t('console.discovery.noRuns')}</Text>}
      {[...latest.values()].map((id) => (
        <LatestRun key={id} id={id} />
      ))}
    </Stack>
  );
}

function LatestRun({ id }: { id: string }) {
  const { t } = useTranslation();
  const run = useQuery({
    queryKey: ['discovery-run', id],
    queryFn: () => unwrap(api.GET('/v1/discovery/runs/{id}', { params: { path: { id } } })),
  });
  if (run.isPending) return <Loading />;
  if (run.isError) return <ErrorNotice error={run.error} />;
  const { system, startedAt, trigger, summary, columns } = run.data;
  const personal = columns.filter((column) => column.categories.length > 0);
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h3">
          {system}
        </Title>
        <Text size="sm">
          {t('console.discovery.ranAt', { at: formatDate(startedAt, true), trigger })}{' '}
          {t('console.discovery.summary', {
            collections: formatNumber(summary.collections),
            columns: formatNumber(summary.columns),
            personal: formatNumber(summary.personalColumns),
          })}
        </Text>
        {Object.keys(summary.findings).length > 0 && (
          <Group gap="xs">
            <Text size="sm">{t('console.discovery.findings')}</Text>
            {Object.entries(summary.findings).map(([code, count]) => (
              <Badge key={code} color="orange" variant="light" size="sm">
                {code}: {formatNumber(count)}
              </Badge>
            ))}
          </Group>
        )}
        {personal.length > 0 && (
          <div className="table-scroll">
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('console.discovery.column')}</Table.Th>
                  <Table.Th>{t('console.discovery.categories')}</Table.Th>
                  <Table.Th>{t('console.discovery.confidence')}</Table.Th>
                  <Table.Th>{t('console.discovery.evidence')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {personal.map((column) => (
                  <Table.Tr key={`${column.collection}.${column.field}`}>
                    <Table.Td className="mono">
                      {column.collection}.{column.field}
                    </Table.Td>
                    <Table.Td className="mono">{column.categories.join(', ')}</Table.Td>
                    <Table.Td>{Math.round(column.confidence * 100)} %</Table.Td>
                    <Table.Td>{column.evidence.map(describeSignal).join(' · ')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </Stack>
    </Paper>
  );
}

/** A signal by its name and counts only ("values 48/50"): evidence carries no sampled value. */
function describeSignal(evidence: Record<string, unknown>): string {
  const name = typeof evidence.signal === 'string' ? evidence.signal : '?';
  const { matched, sampled } = evidence;
  return typeof matched === 'number' && typeof sampled === 'number' ? `${name} ${matched}/${sampled}` : name;
}
