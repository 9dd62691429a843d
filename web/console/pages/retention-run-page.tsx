import { Alert, Button, Group, Paper, Progress, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { formatDate, formatNumber } from '../../shared/components/formatting.ts';
import { Loading } from '../../shared/components/loading.tsx';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';
import { RunStateBadges } from './retention-page.tsx';

const FINISHED = new Set(['completed', 'failed', 'cancelled', 'rejected']);

/** One retention run: progress while it sweeps, per collection what was deleted, anonymised or kept. */
export function Page() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const session = useSession();
  const queryClient = useQueryClient();
  const run = useQuery({
    queryKey: ['retention-run', id],
    queryFn: () => unwrap(api.GET('/v1/retention/runs/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data && FINISHED.has(query.state.data.state) ? false : 2_000),
  });
  const cancel = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/retention/runs/{id}/cancel', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['retention-run', id] }),
  });
  const [reason, setReason] = useState('');
  const settle = () => queryClient.invalidateQueries({ queryKey: ['retention-run', id] });
  // Four eyes: the API refuses the requester (403); someone else with retention:run decides.
  const approve = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/v1/retention/runs/{id}/approve', { params: { path: { id } }, body: {} })),
    onSuccess: settle,
  });
  const reject = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/v1/retention/runs/{id}/reject', { params: { path: { id } }, body: { reason } })),
    onSuccess: settle,
  });
  const title = t('console.retention.runTitle');
  return (
    <Stack gap="lg">
      <PageTitle documentTitle={title} app={t('console.title')}>
        {title}
      </PageTitle>
      {run.isPending && <Loading />}
      {run.isError && <ErrorNotice error={run.error} />}
      {run.data && (
        <>
          <Paper withBorder p="md">
            <Group justify="space-between">
              <RunStateBadges state={run.data.state} dryRun={run.data.dryRun} />
              {session.can('retention:run') && !FINISHED.has(run.data.state) && !run.data.cancelRequested && (
                <Button
                  color="red"
                  variant="light"
                  size="xs"
                  onClick={() => cancel.mutate()}
                  loading={cancel.isPending}
                >
                  {t('console.retention.cancel')}
                </Button>
              )}
            </Group>
            <Progress
              mt="sm"
              value={
                run.data.rowsEstimated
                  ? Math.min(100, (run.data.rowsDone / run.data.rowsEstimated) * 100)
                  : FINISHED.has(run.data.state)
                    ? 100
                    : 0
              }
              aria-label={t('console.retention.progressLabel', {
                done: run.data.rowsDone,
                estimated: run.data.rowsEstimated,
              })}
            />
            <Text size="sm" mt="xs">
              {t('console.retention.progressText', {
                done: formatNumber(run.data.rowsDone),
                estimated: formatNumber(run.data.rowsEstimated),
                started: formatDate(run.data.startedAt, true),
                finished: formatDate(run.data.finishedAt, true),
              })}
            </Text>
            {run.data.error && <Text size="sm">{run.data.error}</Text>}
            {cancel.isError && <ErrorNotice error={cancel.error} />}
            {run.data.state === 'awaiting_approval' && run.data.approval && (
              <Alert mt="sm" color="yellow" title={t('console.retention.approve')}>
                <Text size="sm">
                  {t('console.retention.awaitingApproval', {
                    rows: formatNumber(run.data.approval.rowsDue),
                    threshold: formatNumber(run.data.approval.rowsAbove),
                  })}
                </Text>
                {session.can('retention:run') && (
                  <Group mt="sm" align="end">
                    <Button size="xs" onClick={() => approve.mutate()} loading={approve.isPending}>
                      {t('console.retention.approve')}
                    </Button>
                    <TextInput
                      size="xs"
                      label={t('console.retention.rejectReason')}
                      value={reason}
                      onChange={(event) => setReason(event.currentTarget.value)}
                    />
                    <Button
                      size="xs"
                      color="red"
                      variant="light"
                      disabled={reason.trim().length < 3}
                      onClick={() => reject.mutate()}
                      loading={reject.isPending}
                    >
                      {t('console.retention.reject')}
                    </Button>
                  </Group>
                )}
                {approve.isError && <ErrorNotice error={approve.error} />}
                {reject.isError && <ErrorNotice error={reject.error} />}
              </Alert>
            )}
            {run.data.state === 'rejected' && run.data.approval?.decision?.reason && (
              <Text size="sm" mt="xs">
                {t('console.retention.rejected', { reason: run.data.approval.decision.reason })}
              </Text>
            )}
          </Paper>
          <div className="table-scroll">
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('console.retention.collection')}</Table.Th>
                  <Table.Th>{t('console.retention.rule')}</Table.Th>
                  <Table.Th>{t('console.retention.selected')}</Table.Th>
                  <Table.Th>{t('console.retention.changed')}</Table.Th>
                  <Table.Th>{t('console.retention.keptHeld')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {run.data.collections.map((c) => (
                  <Table.Tr key={`${c.system}.${c.collection}`}>
                    <Table.Td className="mono">
                      {c.system}.{c.collection}
                    </Table.Td>
                    <Table.Td>
                      {c.rule} ({c.action})
                    </Table.Td>
                    <Table.Td>{formatNumber(c.rowsSelected)}</Table.Td>
                    <Table.Td>
                      {c.action === 'delete' ? formatNumber(c.rowsDeleted) : formatNumber(c.rowsAnonymised)}
                    </Table.Td>
                    <Table.Td>
                      {formatNumber(c.rowsKept)}
                      {Object.entries(c.keptReasons).map(([reason, count]) => (
                        <Text size="xs" key={reason}>
                          {reason}: {count}
                        </Text>
                      ))}
                      {c.errors.map((error) => (
                        <Text size="xs" key={error}>
                          {error}
                        </Text>
                      ))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        </>
      )}
    </Stack>
  );
}
