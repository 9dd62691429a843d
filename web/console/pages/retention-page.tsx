import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Tabs, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { formatDate, formatNumber } from '../../shared/components/formatting.ts';
import { Loading } from '../../shared/components/loading.tsx';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';

/** Rules and the compliance report, runs with their progress, flows with their schedules. */
export function Page() {
  const { t } = useTranslation();
  const title = t('console.retention.title');
  return (
    <Stack gap="lg">
      <PageTitle documentTitle={title} app={t('console.title')}>
        {title}
      </PageTitle>
      <Tabs defaultValue="report" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="report">{t('console.retention.report')}</Tabs.Tab>
          <Tabs.Tab value="runs">{t('console.retention.runs')}</Tabs.Tab>
          <Tabs.Tab value="flows">{t('console.retention.flows')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="report" pt="md">
          <Report />
        </Tabs.Panel>
        <Tabs.Panel value="runs" pt="md">
          <Runs />
        </Tabs.Panel>
        <Tabs.Panel value="flows" pt="md">
          <Flows />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Report() {
  const { t } = useTranslation();
  const report = useQuery({
    queryKey: ['retention-report'],
    queryFn: () => unwrap(api.GET('/v1/retention/report')),
  });
  if (report.isPending) return <Loading />;
  if (report.isError) return <ErrorNotice error={report.error} />;
  const { summary, collections } = report.data;
  return (
    <Stack gap="md">
      <Text>
        {t('console.retention.summary', {
          total: summary.collectionsWithPersonalData,
          withRule: summary.withRule,
          withoutRule: summary.withoutRule,
          overdue: formatNumber(summary.rowsOverdue),
        })}
      </Text>
      <div className="table-scroll">
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('console.retention.collection')}</Table.Th>
              <Table.Th>{t('console.retention.rule')}</Table.Th>
              <Table.Th>{t('console.retention.oldest')}</Table.Th>
              <Table.Th>{t('console.retention.overdueRows')}</Table.Th>
              <Table.Th>{t('console.retention.nextRun')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {collections.map((c) => (
              <Table.Tr key={`${c.system}.${c.collection}`}>
                <Table.Td className="mono">
                  {c.system}.{c.collection}
                </Table.Td>
                <Table.Td>
                  {c.rule ?? ''}{' '}
                  {c.flag && (
                    <Badge color="orange" variant="light" size="sm">
                      {t(`console.retention.flags.${c.flag}`)}
                    </Badge>
                  )}
                  {c.problems.map((problem) => (
                    <Text key={problem} size="xs">
                      {problem}
                    </Text>
                  ))}
                </Table.Td>
                <Table.Td>
                  {c.oldestRecord ? t('console.retention.days', { count: c.oldestRecord.ageDays }) : '–'}
                </Table.Td>
                <Table.Td>{c.rowsOverdue === null ? '–' : formatNumber(c.rowsOverdue)}</Table.Td>
                <Table.Td>
                  {c.nextRun ? `${formatDate(c.nextRun.at, true)} (${c.nextRun.flowId})` : '–'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </Stack>
  );
}

function Runs() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const runs = useQuery({
    queryKey: ['retention-runs'],
    queryFn: () => unwrap(api.GET('/v1/retention/runs')),
    refetchInterval: 5_000,
  });
  const dryRun = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/retention/runs', { body: { dryRun: true } })),
    onSuccess: (run) => void navigate(`/console/retention/runs/${run.id}`),
  });
  return (
    <Stack gap="md">
      {session.can('retention:run') && (
        <Group>
          <Button onClick={() => dryRun.mutate()} loading={dryRun.isPending}>
            {t('console.retention.startDryRun')}
          </Button>
          <Text size="sm">{t('console.retention.dryRunHint')}</Text>
        </Group>
      )}
      {dryRun.isError && <ErrorNotice error={dryRun.error} />}
      {runs.isPending && <Loading />}
      {runs.isError && <ErrorNotice error={runs.error} />}
      {runs.data && (
        <div className="table-scroll">
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.retention.started')}</Table.Th>
                <Table.Th>{t('console.retention.state')}</Table.Th>
                <Table.Th>{t('console.retention.trigger')}</Table.Th>
                <Table.Th>{t('console.retention.progress')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.data.items.map((run) => (
                <Table.Tr key={run.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/console/retention/runs/${run.id}`}>
                      {formatDate(run.createdAt, true)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <RunStateBadges state={run.state} dryRun={run.dryRun} />
                  </Table.Td>
                  <Table.Td>{run.trigger}</Table.Td>
                  <Table.Td>
                    {formatNumber(run.rowsDone)} / {formatNumber(run.rowsEstimated)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Stack>
  );
}

export function RunStateBadges({ state, dryRun }: { state: string; dryRun: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      <Badge
        variant="light"
        color={
          state === 'failed'
            ? 'red'
            : state === 'completed'
              ? 'green'
              : state === 'cancelled'
                ? 'gray'
                : 'blue'
        }
      >
        {t(`console.retention.states.${state}`, { defaultValue: state })}
      </Badge>
      {dryRun && (
        <Badge variant="light" color="gray">
          {t('console.retention.dryRun')}
        </Badge>
      )}
    </Group>
  );
}

function Flows() {
  const { t } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const flows = useQuery({
    queryKey: ['retention-flows'],
    queryFn: () => unwrap(api.GET('/v1/retention/flows')),
  });
  const run = useMutation({
    mutationFn: (input: { id: string; dryRun: boolean }) =>
      unwrap(
        api.POST('/v1/retention/flows/{id}/runs', {
          params: { path: { id: input.id } },
          body: { dryRun: input.dryRun },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['retention-runs'] }),
  });
  if (flows.isPending) return <Loading />;
  if (flows.isError) return <ErrorNotice error={flows.error} />;
  return (
    <Stack gap="md">
      {run.isError && <ErrorNotice error={run.error} />}
      {run.isSuccess && (
        <Alert color="green" variant="light" role="status">
          {t('console.retention.flowStarted')}
        </Alert>
      )}
      {flows.data.flows.length === 0 && <Text>{t('console.retention.noFlows')}</Text>}
      {flows.data.flows.map((flow) => (
        <Paper withBorder p="md" key={flow.id}>
          <Group justify="space-between">
            <div>
              <Text fw={600}>{flow.id}</Text>
              {flow.description && <Text size="sm">{flow.description}</Text>}
              <Text size="xs" c="dimmed">
                {flow.triggers
                  .map(
                    (trigger) =>
                      `${trigger.cron} (${trigger.timezone}) → ${formatDate(trigger.nextRun, true)}`,
                  )
                  .join('; ')}
              </Text>
              <Text size="xs" c="dimmed">
                {flow.tasks.map((task) => `${task.id}: ${task.type}`).join(' · ')}
              </Text>
            </div>
            {session.can('retention:run') && (
              <Group gap="xs">
                <Button variant="default" size="xs" onClick={() => run.mutate({ id: flow.id, dryRun: true })}>
                  {t('console.retention.dryRun')}
                </Button>
                <Button size="xs" color="red" onClick={() => run.mutate({ id: flow.id, dryRun: false })}>
                  {t('console.retention.runNow')}
                </Button>
              </Group>
            )}
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
