import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { isApiError, unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { formatDate, formatNumber } from '../../shared/components/formatting.ts';
import { Loading } from '../../shared/components/loading.tsx';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { RequestStateBadge } from '../../shared/components/request-state-badge.tsx';
import { api } from '../api.ts';
import { RequestResult } from '../components/erasure-report.tsx';
import { PlanDiffView } from '../components/plan-diff-view.tsx';
import { RequestActions } from '../components/request-actions.tsx';
import { useSession } from '../session.tsx';

const CLOSED = new Set(['completed', 'partially_completed', 'denied', 'failed', 'cancelled']);
const PLANNED_TYPES = new Set(['access', 'portability', 'erasure', 'rectification']);

/** Masks an identity until revealed: the first character and, for an address, its domain. */
export function maskIdentity(value: string): string {
  const at = value.indexOf('@');
  if (at > 0) return `${value[0]}•••${value.slice(at)}`;
  return `${value.slice(0, 1)}${'•'.repeat(Math.max(3, value.length - 2))}${value.length > 3 ? value.slice(-1) : ''}`;
}

/** One request: state, identities, decisions, the plan as a diff, progress, result, package and history. */
export function Page() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const session = useSession();
  const request = useQuery({
    queryKey: ['request', id],
    queryFn: () => unwrap(api.GET('/v1/requests/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data && !CLOSED.has(query.state.data.state) ? 2_000 : false),
  });
  const title = t('console.request.title');
  return (
    <Stack gap="lg">
      <PageTitle documentTitle={title} app={t('console.title')}>
        {title}
      </PageTitle>
      {request.isPending && <Loading />}
      {request.isError && <ErrorNotice error={request.error} />}
      {request.data && (
        <>
          <Paper withBorder p="md">
            <Table variant="vertical" layout="fixed">
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th w="30%">{t('console.request.reference')}</Table.Th>
                  <Table.Td className="mono">{request.data.id}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('console.requests.type')}</Table.Th>
                  <Table.Td>
                    {t(`console.types.${request.data.type}`)}{' '}
                    <Badge variant="light" color="gray">
                      {request.data.regime.toUpperCase()}
                    </Badge>{' '}
                    {request.data.regimeType !== request.data.type && (
                      <Text span size="sm">
                        ({request.data.regimeType})
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('console.requests.state')}</Table.Th>
                  <Table.Td>
                    <RequestStateBadge state={request.data.state} />
                    {request.data.outcomeReason && (
                      <Text size="sm" mt={4}>
                        {request.data.outcomeReason}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('console.requests.received')}</Table.Th>
                  <Table.Td>{formatDate(request.data.receivedAt, true)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('console.requests.due')}</Table.Th>
                  <Table.Td>
                    {formatDate(request.data.dueAt)}{' '}
                    {request.data.overdue && (
                      <Badge color="red" variant="light">
                        {t('console.requests.overdue')}
                      </Badge>
                    )}
                    {request.data.extension && (
                      <Text size="sm">
                        {t('console.request.extended', {
                          amount: request.data.extension.amount,
                          unit: t(`console.request.units.${request.data.extension.unit}`),
                          reason: request.data.extension.reason ?? '',
                        })}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('console.request.verifiedBy')}</Table.Th>
                  <Table.Td>
                    {request.data.verifiedBy
                      ? t(`console.request.verification.${request.data.verifiedBy}`)
                      : '–'}
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Paper>

          <RequestActions id={request.data.id} state={request.data.state} regime={request.data.regime} />

          <Identities identities={request.data.identities} minimised={request.data.personalDataMinimisedAt} />

          {PLANNED_TYPES.has(request.data.type) && !request.data.personalDataMinimisedAt && (
            <PlanSection id={request.data.id} />
          )}

          {request.data.steps.length > 0 && (
            <section aria-labelledby="steps-heading">
              <Title order={2} size="h3" id="steps-heading" mb="sm">
                {t('console.request.steps')}
              </Title>
              <div className="table-scroll">
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('console.request.step')}</Table.Th>
                      <Table.Th>{t('console.request.stepStatus')}</Table.Th>
                      <Table.Th>{t('console.request.attempts')}</Table.Th>
                      <Table.Th>{t('console.request.finished')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {request.data.steps.map((step) => (
                      <Table.Tr key={step.step}>
                        <Table.Td className="mono">{step.step}</Table.Td>
                        <Table.Td>
                          <Badge
                            variant="light"
                            color={
                              step.status === 'succeeded'
                                ? 'green'
                                : step.status === 'failed'
                                  ? 'red'
                                  : 'blue'
                            }
                          >
                            {t(`console.request.stepStatuses.${step.status}`, { defaultValue: step.status })}
                          </Badge>
                          {step.error && <Text size="xs">{step.error}</Text>}
                        </Table.Td>
                        <Table.Td>{step.attempts}</Table.Td>
                        <Table.Td>{formatDate(step.finishedAt, true)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </div>
            </section>
          )}

          {request.data.result && (
            <section aria-labelledby="result-heading">
              <Title order={2} size="h3" id="result-heading" mb="sm">
                {t('console.request.result')}
              </Title>
              <RequestResult result={request.data.result} />
            </section>
          )}

          {request.data.package && (
            <section aria-labelledby="package-heading">
              <Title order={2} size="h3" id="package-heading" mb="sm">
                {t('console.request.package')}
              </Title>
              <Text size="sm" mb="sm">
                {t('console.request.packageSummary', {
                  rows: formatNumber(request.data.package.rows),
                  collections: request.data.package.collections,
                  size: formatNumber(Math.ceil(request.data.package.sizeBytes / 1024)),
                  expires: formatDate(request.data.package.expiresAt),
                })}
              </Text>
              {session.can('dsr:export') && !request.data.package.deletedAt && (
                <DownloadButton id={request.data.id} />
              )}
            </section>
          )}

          <section aria-labelledby="history-heading">
            <Title order={2} size="h3" id="history-heading" mb="sm">
              {t('console.request.history')}
            </Title>
            <div className="table-scroll">
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('console.request.when')}</Table.Th>
                    <Table.Th>{t('console.request.event')}</Table.Th>
                    <Table.Th>{t('console.request.by')}</Table.Th>
                    <Table.Th>{t('console.request.reason')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {request.data.history.map((entry, index) => (
                    <Table.Tr key={`${entry.at}-${index}`}>
                      <Table.Td>{formatDate(entry.at, true)}</Table.Td>
                      <Table.Td>
                        {entry.from ? `${t(`common.states.${entry.from}`)} → ` : ''}
                        {t(`common.states.${entry.to}`)}{' '}
                        <Text span size="xs">
                          ({entry.event})
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {t(`console.actorKinds.${entry.actor.kind}`, { defaultValue: entry.actor.kind })}
                      </Table.Td>
                      <Table.Td>{entry.reason ?? ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          </section>
        </>
      )}
    </Stack>
  );
}

function Identities({
  identities,
  minimised,
}: {
  identities: { name: string; value: string | null }[];
  minimised: string | null;
}) {
  const { t } = useTranslation();
  const [revealed, setRevealed] = useState(false);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="identities-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="identities-heading">
          {t('console.request.identities')}
        </Title>
        {!minimised && identities.length > 0 && (
          <Button
            variant="default"
            size="xs"
            onClick={() => setRevealed((value) => !value)}
            aria-pressed={revealed}
          >
            {revealed ? t('console.request.hide') : t('console.request.reveal')}
          </Button>
        )}
      </Group>
      {minimised ? (
        <Text size="sm">{t('console.request.minimised', { date: formatDate(minimised) })}</Text>
      ) : (
        <>
          <Table variant="vertical" layout="fixed">
            <Table.Tbody>
              {identities.map((identity) => (
                <Table.Tr key={identity.name}>
                  <Table.Th w="30%">{identity.name}</Table.Th>
                  <Table.Td className="mono" data-testid={`identity-${identity.name}`}>
                    {identity.value === null ? '–' : revealed ? identity.value : maskIdentity(identity.value)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed" mt="xs">
            {t('console.request.audited')}
          </Text>
        </>
      )}
    </Paper>
  );
}

function PlanSection({ id }: { id: string }) {
  const { t } = useTranslation();
  const [estimate, setEstimate] = useState(false);
  const plan = useQuery({
    queryKey: ['plan', id, estimate],
    queryFn: () =>
      unwrap(
        api.GET('/v1/console/requests/{id}/plan', {
          params: { path: { id }, query: { estimate: estimate ? 'true' : 'false' } },
        }),
      ),
    staleTime: 60_000,
  });
  return (
    <section aria-labelledby="plan-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h3" id="plan-heading">
          {t('console.request.plan')}
        </Title>
        {!estimate && (
          <Button variant="default" size="xs" onClick={() => setEstimate(true)}>
            {t('console.request.countRows')}
          </Button>
        )}
      </Group>
      {plan.isPending && <Loading />}
      {plan.isError &&
        (isApiError(plan.error, 404) ? (
          <Alert variant="light">{plan.error.detail}</Alert>
        ) : (
          <ErrorNotice error={plan.error} />
        ))}
      {plan.data && <PlanDiffView plan={plan.data} />}
    </section>
  );
}

function DownloadButton({ id }: { id: string }) {
  const { t } = useTranslation();
  const link = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/requests/{id}/download-links', { params: { path: { id } } })),
    onSuccess: (created) => {
      // The link itself is the credential: the browser fetches the zip without the console's session.
      window.location.assign(created.url);
    },
  });
  return (
    <>
      <Button onClick={() => link.mutate()} loading={link.isPending}>
        {t('console.request.download')}
      </Button>
      {link.isError && <ErrorNotice error={link.error} />}
    </>
  );
}
