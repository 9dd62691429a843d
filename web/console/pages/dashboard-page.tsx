import { Anchor, Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { paths } from '@steward/sdk';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { formatDate, formatDuration, formatNumber } from '../../shared/components/formatting.ts';
import { Loading } from '../../shared/components/loading.tsx';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { api } from '../api.ts';
import { lastDays, Sparkline } from '../components/sparkline.tsx';
import { StatTile } from '../components/stat-tile.tsx';

/** The first page: what needs doing (deadlines, approvals) and whether the machinery is healthy. */
export function Page() {
  const { t } = useTranslation();
  const dashboard = useQuery({
    queryKey: ['dashboard'],
    queryFn: () => unwrap(api.GET('/v1/console/dashboard')),
    refetchInterval: 30_000,
  });
  const title = t('console.dashboard.title');
  return (
    <Stack gap="xl">
      <PageTitle documentTitle={title} app={t('console.title')}>
        {title}
      </PageTitle>
      {dashboard.isPending && <Loading />}
      {dashboard.isError && <ErrorNotice error={dashboard.error} />}
      {dashboard.data?.requests && (
        <section aria-labelledby="requests-heading">
          <Title order={2} size="h3" id="requests-heading" mb="sm">
            {t('console.dashboard.requests')}
          </Title>
          <div className="tile-grid">
            <StatTile
              label={t('console.dashboard.overdue')}
              value={dashboard.data.requests.overdue}
              to="/console/requests?overdue=true"
            />
            <StatTile
              label={t('console.dashboard.dueThisWeek')}
              value={dashboard.data.requests.dueThisWeek}
              to="/console/requests?state=received,verifying,verified,awaiting_approval,in_progress"
            />
            <StatTile
              label={t('console.dashboard.awaitingApproval')}
              value={dashboard.data.requests.awaitingApproval}
              to="/console/requests?state=awaiting_approval"
            />
            <StatTile
              label={t('console.dashboard.awaitingVerification')}
              value={dashboard.data.requests.awaitingVerification}
              to="/console/requests?state=received,verifying"
            />
            <StatTile
              label={t('console.dashboard.inProgress')}
              value={dashboard.data.requests.inProgress}
              to="/console/requests?state=in_progress"
            />
            <StatTile
              label={t('console.dashboard.closed30')}
              value={dashboard.data.requests.closedLast30Days}
              to="/console/requests?state=completed,partially_completed,denied,failed,cancelled"
            />
          </div>
        </section>
      )}
      {dashboard.data?.consent && <ConsentSection consent={dashboard.data.consent} />}
      {dashboard.data?.retention && (
        <section aria-labelledby="retention-heading">
          <Title order={2} size="h3" id="retention-heading" mb="sm">
            {t('console.dashboard.retention')}
          </Title>
          <Stack gap="sm">
            <div className="tile-grid">
              <StatTile
                label={t('console.dashboard.rowsSwept')}
                value={formatNumber(dashboard.data.retention.rowsSweptLast30Days)}
                to="/console/retention"
              />
            </div>
            {dashboard.data.retention.runs.length > 0 && (
              <div className="table-scroll">
                <Table>
                  <Table.Caption>{t('console.dashboard.lastRuns')}</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('console.retention.started')}</Table.Th>
                      <Table.Th>{t('console.retention.state')}</Table.Th>
                      <Table.Th>{t('console.retention.rows')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {dashboard.data.retention.runs.map((run) => (
                      <Table.Tr key={run.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/console/retention/runs/${run.id}`}>
                            {formatDate(run.createdAt, true)}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Group gap={4}>
                            <Badge
                              variant="light"
                              color={
                                run.state === 'failed' ? 'red' : run.state === 'completed' ? 'green' : 'blue'
                              }
                            >
                              {t(`console.retention.states.${run.state}`, { defaultValue: run.state })}
                            </Badge>
                            {run.dryRun && (
                              <Badge variant="light" color="gray">
                                {t('console.retention.dryRun')}
                              </Badge>
                            )}
                          </Group>
                        </Table.Td>
                        <Table.Td>{formatNumber(run.rowsDone)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </div>
            )}
          </Stack>
        </section>
      )}
      {(dashboard.data?.audit || dashboard.data?.events) && (
        <section aria-labelledby="health-heading">
          <Title order={2} size="h3" id="health-heading" mb="sm">
            {t('console.dashboard.health')}
          </Title>
          <div className="tile-grid">
            {dashboard.data.audit && (
              <>
                <StatTile
                  label={t('console.dashboard.auditEntries')}
                  value={formatNumber(dashboard.data.audit.entries)}
                  to="/console/audit"
                />
                <StatTile
                  label={t('console.dashboard.checkpointAge')}
                  value={
                    dashboard.data.audit.lastCheckpoint
                      ? formatDuration(dashboard.data.audit.lastCheckpoint.ageSeconds)
                      : '–'
                  }
                  hint={t('console.dashboard.pendingEntries', { count: dashboard.data.audit.pending })}
                  to="/console/audit"
                />
              </>
            )}
            {dashboard.data.events && (
              <>
                <StatTile
                  label={t('console.dashboard.deliveryLag')}
                  value={formatDuration(dashboard.data.events.lagSeconds)}
                  hint={t('console.dashboard.pendingDeliveries', { count: dashboard.data.events.pending })}
                  to="/console/events"
                />
                <StatTile
                  label={t('console.dashboard.deadLetters')}
                  value={dashboard.data.events.deadLetters}
                  to="/console/events"
                />
              </>
            )}
          </div>
        </section>
      )}
    </Stack>
  );
}

type ConsentSummary = NonNullable<
  paths['/v1/console/dashboard']['get']['responses'][200]['content']['application/json']['consent']
>;

function ConsentSection({ consent }: { consent: ConsentSummary }) {
  const { t } = useTranslation();
  const days = lastDays(consent.days);
  return (
    <section aria-labelledby="consent-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h3" id="consent-heading">
          {t('console.dashboard.consent')}
        </Title>
        <Anchor component={Link} to="/console/consent" size="sm">
          {t('console.dashboard.consentDetails')}
        </Anchor>
      </Group>
      <div className="card-grid">
        {consent.purposes.map((purpose) => {
          const decided = purpose.given + purpose.withdrawn + purpose.expired;
          const rate = decided ? Math.round((purpose.given / decided) * 100) : 0;
          const series = days.map(
            (day) => purpose.daily.find((d) => d.day === day) ?? { given: 0, withdrawn: 0 },
          );
          return (
            <Paper withBorder p="md" key={purpose.purpose}>
              <Text size="sm" className="mono">
                {purpose.purpose}
              </Text>
              <div className="tile-number">{rate}%</div>
              <Text size="xs" c="dimmed">
                {t('console.dashboard.consentCounts', {
                  given: purpose.given,
                  withdrawn: purpose.withdrawn,
                  expired: purpose.expired,
                })}
              </Text>
              <Sparkline
                days={days}
                series={series}
                label={t('console.dashboard.sparkline', {
                  days: consent.days,
                  given: series.reduce((n, p) => n + p.given, 0),
                  withdrawn: series.reduce((n, p) => n + p.withdrawn, 0),
                })}
              />
            </Paper>
          );
        })}
      </div>
    </section>
  );
}
