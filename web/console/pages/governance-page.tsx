import { Badge, Button, Group, Paper, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { formatDate, formatNumber } from '../../shared/components/formatting.ts';
import { Loading } from '../../shared/components/loading.tsx';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { QuerySection } from '../components/query-section.tsx';
import { api } from '../api.ts';

/**
 * The governance registers, read-only: the record of processing (with its exports), the breach
 * register with each breach's 72-hour clock, processors and transfers, DPIA screenings and DPIAs.
 */
export function Page() {
  const { t } = useTranslation();
  const title = t('console.governance.title');
  return (
    <Stack gap="lg">
      <PageTitle documentTitle={title} app={t('console.title')}>
        {title}
      </PageTitle>
      <Tabs defaultValue="ropa" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="ropa">{t('console.governance.ropa')}</Tabs.Tab>
          <Tabs.Tab value="breaches">{t('console.governance.breaches')}</Tabs.Tab>
          <Tabs.Tab value="processors">{t('console.governance.processorsAndTransfers')}</Tabs.Tab>
          <Tabs.Tab value="dpias">{t('console.governance.dpias')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="ropa" pt="md">
          <RecordOfProcessing />
        </Tabs.Panel>
        <Tabs.Panel value="breaches" pt="md">
          <Breaches />
        </Tabs.Panel>
        <Tabs.Panel value="processors" pt="md">
          <Stack gap="xl">
            <Processors />
            <Transfers />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="dpias" pt="md">
          <Stack gap="xl">
            <Screenings />
            <Dpias />
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

const EXPORT_FORMATS = ['json', 'csv', 'pdf'] as const;

/**
 * The export goes through the API client (it carries the pasted API key, which a plain link would
 * not), then is handed to the browser as a file.
 */
function ExportButtons() {
  const { t } = useTranslation();
  const download = useMutation({
    mutationFn: async (format: (typeof EXPORT_FORMATS)[number]) => {
      const blob = await unwrap(
        api.GET('/v1/governance/ropa/export', { params: { query: { format } }, parseAs: 'blob' }),
      );
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob as Blob);
      link.download = `record-of-processing.${format}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    },
  });
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Text size="sm">{t('console.governance.export')}</Text>
        {EXPORT_FORMATS.map((format) => (
          <Button
            key={format}
            size="xs"
            variant="default"
            loading={download.isPending && download.variables === format}
            onClick={() => download.mutate(format)}
          >
            {format.toUpperCase()}
          </Button>
        ))}
      </Group>
      {download.isError && <ErrorNotice error={download.error} />}
    </Stack>
  );
}

function RecordOfProcessing() {
  const { t } = useTranslation();
  const record = useQuery({
    queryKey: ['governance-ropa'],
    queryFn: () => unwrap(api.GET('/v1/governance/ropa')),
  });
  if (record.isPending) return <Loading />;
  if (record.isError) return <ErrorNotice error={record.error} />;
  const { entries, generatedAt } = record.data;
  return (
    <Stack gap="md">
      <ExportButtons />
      <Text size="sm">
        {t('console.governance.generatedAt', { at: formatDate(generatedAt, true), count: entries.length })}
      </Text>
      {entries.map((entry) => (
        <Paper withBorder p="md" key={entry.id}>
          <Group gap="xs" mb="xs">
            <Title order={2} size="h4">
              {entry.name}
            </Title>
            <Badge variant="light">{t(`console.governance.roles.${entry.role}`)}</Badge>
          </Group>
          <div className="table-scroll">
            <Table>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th scope="row">{t('console.governance.systems')}</Table.Th>
                  <Table.Td className="mono">{entry.systems.join(', ') || '–'}</Table.Td>
                </Table.Tr>
                {entry.fields.map((field) => (
                  <Table.Tr key={field.key}>
                    <Table.Th scope="row">
                      {field.label}{' '}
                      <Text span size="xs">
                        ({field.article})
                      </Text>
                    </Table.Th>
                    <Table.Td>
                      {field.lines.length === 0 ? (
                        <Badge color="orange" variant="light" size="sm">
                          {t('console.governance.missing')}
                        </Badge>
                      ) : (
                        field.lines.map((line) => <div key={line}>{line}</div>)
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        </Paper>
      ))}
    </Stack>
  );
}

/** The list holds titles only; each breach's clock, count and decision come from its own view. */
function Breaches() {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['governance-breaches'],
    queryFn: () => unwrap(api.GET('/v1/governance/breaches')),
    refetchInterval: 60_000,
  });
  const details = useQueries({
    queries: (list.data?.items ?? []).map((item) => ({
      queryKey: ['governance-breach', item.id],
      queryFn: () => unwrap(api.GET('/v1/governance/breaches/{id}', { params: { path: { id: item.id } } })),
    })),
  });
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorNotice error={list.error} />;
  if (list.data.items.length === 0) return <Text>{t('console.governance.noBreaches')}</Text>;
  return (
    <div className="table-scroll">
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('console.governance.breach')}</Table.Th>
            <Table.Th>{t('console.governance.awareAt')}</Table.Th>
            <Table.Th>{t('console.governance.deadline')}</Table.Th>
            <Table.Th>{t('console.governance.clock')}</Table.Th>
            <Table.Th>{t('console.governance.affected')}</Table.Th>
            <Table.Th>{t('console.governance.risk')}</Table.Th>
            <Table.Th>{t('console.governance.notified')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data.items.map((item, index) => {
            const breach = details[index]?.data;
            const notifiedAuthority = breach?.notifications.some((n) => n.audience === 'authority');
            const notifiedSubjects = breach?.notifications.some((n) => n.audience === 'subjects');
            return (
              <Table.Tr key={item.id}>
                <Table.Td>
                  {item.title}{' '}
                  <Badge variant="light" color={item.state === 'open' ? 'blue' : 'gray'} size="sm">
                    {t(`console.governance.breachStates.${item.state}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatDate(item.awareAt, true)}</Table.Td>
                <Table.Td>{breach ? formatDate(breach.clock.deadline, true) : '…'}</Table.Td>
                <Table.Td>{breach ? <ClockBadge clock={breach.clock} /> : '…'}</Table.Td>
                <Table.Td>
                  {breach?.count
                    ? t('console.governance.counted', {
                        subjects: formatNumber(breach.count.subjects),
                        records: formatNumber(breach.count.records),
                      })
                    : t('console.governance.notCounted')}
                </Table.Td>
                <Table.Td>
                  {breach?.decision
                    ? t(`console.governance.riskLevels.${breach.decision.level}`)
                    : t('console.governance.notAssessed')}
                </Table.Td>
                <Table.Td>
                  {breach && (
                    <Stack gap={2}>
                      <Text size="sm">
                        {t('console.governance.authority')}:{' '}
                        {notifiedAuthority ? t('console.governance.yes') : t('console.governance.no')}
                      </Text>
                      <Text size="sm">
                        {t('console.governance.subjects')}:{' '}
                        {notifiedSubjects ? t('console.governance.yes') : t('console.governance.no')}
                      </Text>
                    </Stack>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </div>
  );
}

interface Clock {
  state: 'running' | 'overdue' | 'met' | 'late' | 'not_required';
  hoursLeft: number | null;
}

/** Hours left while it runs; red once the 72 hours are past without a notice to the authority. */
function ClockBadge({ clock }: { clock: Clock }) {
  const { t } = useTranslation();
  const color =
    clock.state === 'overdue' || clock.state === 'late'
      ? 'red'
      : clock.state === 'running'
        ? 'blue'
        : clock.state === 'met'
          ? 'green'
          : 'gray';
  const text =
    clock.state === 'running' && clock.hoursLeft !== null
      ? t('console.governance.hoursLeft', { count: Math.max(0, Math.floor(clock.hoursLeft)) })
      : clock.state === 'overdue' && clock.hoursLeft !== null
        ? t('console.governance.hoursOverdue', { count: Math.floor(Math.abs(clock.hoursLeft)) })
        : t(`console.governance.clockStates.${clock.state}`);
  return (
    <Badge className="badge-whole" color={color} variant={color === 'red' ? 'filled' : 'light'}>
      {text}
    </Badge>
  );
}

function Processors() {
  const { t } = useTranslation();
  const processors = useQuery({
    queryKey: ['governance-processors'],
    queryFn: () => unwrap(api.GET('/v1/governance/processors')),
  });
  return (
    <QuerySection
      title={t('console.governance.processors')}
      query={processors}
      items={(data) => data.items}
      empty={t('console.governance.noProcessors')}
    >
      {(items) => (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('console.governance.name')}</Table.Th>
              <Table.Th>{t('console.governance.role')}</Table.Th>
              <Table.Th>{t('console.governance.countries')}</Table.Th>
              <Table.Th>{t('console.governance.categories')}</Table.Th>
              <Table.Th>{t('console.governance.dpa')}</Table.Th>
              <Table.Th>{t('console.governance.mechanism')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((processor) => (
              <Table.Tr key={processor.id}>
                <Table.Td>{processor.name}</Table.Td>
                <Table.Td>{t(`console.governance.roles.${processor.role}`)}</Table.Td>
                <Table.Td>{processor.countries.join(', ') || '–'}</Table.Td>
                <Table.Td className="mono">{processor.categories.join(', ') || '–'}</Table.Td>
                <Table.Td>
                  {processor.dpa ? (
                    formatDate(processor.dpa.signedOn)
                  ) : (
                    <Badge color="orange" variant="light" size="sm">
                      {t('console.governance.missing')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {[
                    processor.mechanism?.kind.toUpperCase(),
                    processor.dpfCertified ? t('console.governance.dpf') : undefined,
                  ]
                    .filter(Boolean)
                    .join(', ') || '–'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </QuerySection>
  );
}

function Transfers() {
  const { t } = useTranslation();
  const transfers = useQuery({
    queryKey: ['governance-transfers'],
    queryFn: () => unwrap(api.GET('/v1/governance/transfers')),
  });
  return (
    <QuerySection
      title={t('console.governance.transfers')}
      query={transfers}
      items={(data) => data.flows}
      empty={t('console.governance.noTransfers')}
    >
      {(items) => (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('console.governance.system')}</Table.Th>
              <Table.Th>{t('console.governance.country')}</Table.Th>
              <Table.Th>{t('console.governance.recipient')}</Table.Th>
              <Table.Th>{t('console.governance.categories')}</Table.Th>
              <Table.Th>{t('console.governance.grounds')}</Table.Th>
              <Table.Th>{t('console.governance.lawful')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((flow) => (
              <Table.Tr key={`${flow.system}-${flow.country}-${flow.recipient ?? ''}-${flow.route}`}>
                <Table.Td className="mono">{flow.system}</Table.Td>
                <Table.Td>{flow.country}</Table.Td>
                <Table.Td>{flow.recipient ?? '–'}</Table.Td>
                <Table.Td className="mono">{flow.categories.join(', ') || '–'}</Table.Td>
                <Table.Td>{flow.grounds.join('; ') || '–'}</Table.Td>
                <Table.Td>
                  <Badge color={flow.lawful ? 'green' : 'red'} variant={flow.lawful ? 'light' : 'filled'}>
                    {flow.lawful ? t('console.governance.yes') : t('console.governance.no')}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </QuerySection>
  );
}

function Screenings() {
  const { t } = useTranslation();
  const screenings = useQuery({
    queryKey: ['governance-screenings'],
    queryFn: () => unwrap(api.GET('/v1/governance/screenings')),
  });
  return (
    <QuerySection
      title={t('console.governance.screenings')}
      query={screenings}
      items={(data) => data.items}
      empty={t('console.governance.noScreenings')}
    >
      {(items) => (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('console.governance.activity')}</Table.Th>
              <Table.Th>{t('console.governance.criteriaMet')}</Table.Th>
              <Table.Th>{t('console.governance.dpiaRequired')}</Table.Th>
              <Table.Th>{t('console.governance.hasDpia')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((screening) => (
              <Table.Tr key={screening.activityId}>
                <Table.Td className="mono">{screening.activityId}</Table.Td>
                <Table.Td>
                  {screening.metCount} / {screening.criteria.length}
                </Table.Td>
                <Table.Td>
                  {screening.dpiaRequired ? t('console.governance.yes') : t('console.governance.no')}
                </Table.Td>
                <Table.Td>
                  {screening.hasDpia ? (
                    t('console.governance.yes')
                  ) : screening.dpiaRequired ? (
                    <Badge color="red" variant="filled" size="sm">
                      {t('console.governance.missing')}
                    </Badge>
                  ) : (
                    t('console.governance.no')
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </QuerySection>
  );
}

/** The list names each DPIA; its review date and residual risk come from its own view. */
function Dpias() {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['governance-dpias'],
    queryFn: () => unwrap(api.GET('/v1/governance/dpias')),
  });
  const details = useQueries({
    queries: (list.data?.items ?? []).map((item) => ({
      queryKey: ['governance-dpia', item.id],
      queryFn: () => unwrap(api.GET('/v1/governance/dpias/{id}', { params: { path: { id: item.id } } })),
    })),
  });
  return (
    <QuerySection
      title={t('console.governance.dpias')}
      query={list}
      items={(data) => data.items}
      empty={t('console.governance.noDpias')}
    >
      {(items) => (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('console.governance.activity')}</Table.Th>
              <Table.Th>{t('console.governance.dpiaTitle')}</Table.Th>
              <Table.Th>{t('console.governance.version')}</Table.Th>
              <Table.Th>{t('console.governance.residualRisk')}</Table.Th>
              <Table.Th>{t('console.governance.reviewDate')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item, index) => {
              const dpia = details[index]?.data;
              return (
                <Table.Tr key={item.id}>
                  <Table.Td className="mono">{item.activityId}</Table.Td>
                  <Table.Td>{dpia?.current.content.title ?? '…'}</Table.Td>
                  <Table.Td>{item.currentVersion}</Table.Td>
                  <Table.Td>
                    {dpia
                      ? t(`console.governance.riskLevels.${dpia.evaluation.residualRisk}`, {
                          defaultValue: dpia.evaluation.residualRisk,
                        })
                      : '…'}
                  </Table.Td>
                  <Table.Td>
                    {dpia ? formatDate(dpia.current.content.reviewDate) : '…'}{' '}
                    {dpia?.evaluation.reviewOverdue && (
                      <Badge color="red" variant="filled" size="sm">
                        {t('console.governance.reviewOverdue')}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </QuerySection>
  );
}
