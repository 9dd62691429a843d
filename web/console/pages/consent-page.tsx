import { Accordion, Badge, Button, Group, Paper, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { formatDate } from '../../shared/components/formatting.ts';
import { Loading } from '../../shared/components/loading.tsx';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { api } from '../api.ts';
import { lastDays, Sparkline } from '../components/sparkline.tsx';

/** Notices and their versions, one subject's ledger, and consent rates per purpose. */
export function Page() {
  const { t } = useTranslation();
  const title = t('console.consent.title');
  return (
    <Stack gap="lg">
      <PageTitle documentTitle={title} app={t('console.title')}>
        {title}
      </PageTitle>
      <Tabs defaultValue="notices" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="notices">{t('console.consent.notices')}</Tabs.Tab>
          <Tabs.Tab value="subject">{t('console.consent.subject')}</Tabs.Tab>
          <Tabs.Tab value="analytics">{t('console.consent.analytics')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="notices" pt="md">
          <Notices />
        </Tabs.Panel>
        <Tabs.Panel value="subject" pt="md">
          <SubjectLedger />
        </Tabs.Panel>
        <Tabs.Panel value="analytics" pt="md">
          <Analytics />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Notices() {
  const { t } = useTranslation();
  const notices = useQuery({ queryKey: ['notices'], queryFn: () => unwrap(api.GET('/v1/consent/notices')) });
  if (notices.isPending) return <Loading />;
  if (notices.isError) return <ErrorNotice error={notices.error} />;
  if (notices.data.notices.length === 0) return <Text>{t('console.consent.noNotices')}</Text>;
  return (
    <Accordion variant="separated">
      {notices.data.notices.map((notice) => (
        <Accordion.Item key={notice.key} value={notice.key}>
          <Accordion.Control>
            <Group gap="xs">
              <Text fw={600}>{notice.title}</Text>
              <Badge variant="light" color="gray">
                v{notice.version}
              </Badge>
              <Badge variant="light">{notice.mechanism}</Badge>
              <Text size="xs" className="mono">
                {notice.purpose}
              </Text>
            </Group>
          </Accordion.Control>
          <Accordion.Panel>
            <NoticeVersions noticeKey={notice.key} />
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}

function NoticeVersions({ noticeKey }: { noticeKey: string }) {
  const { t } = useTranslation();
  const versions = useQuery({
    queryKey: ['notice-versions', noticeKey],
    queryFn: () =>
      unwrap(api.GET('/v1/consent/notices/{key}/versions', { params: { path: { key: noticeKey } } })),
  });
  if (versions.isPending) return <Loading />;
  if (versions.isError) return <ErrorNotice error={versions.error} />;
  return (
    <Stack gap="sm">
      {[...versions.data.versions].reverse().map((version) => (
        <Paper key={version.version} withBorder p="sm">
          <Text size="sm" fw={600}>
            {t('console.consent.version', { version: version.version, date: formatDate(version.updatedAt) })}{' '}
            — {version.title}
          </Text>
          <Text size="sm" className="pre-wrap">
            {version.text}
          </Text>
          <Text size="xs" c="dimmed">
            {version.legalBasis} · {version.regions.join(', ') || t('console.consent.everywhere')}
            {version.validityMonths
              ? ` · ${t('console.consent.validity', { months: version.validityMonths })}`
              : ''}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}

/** One subject's whole ledger; the API audits the read. */
function SubjectLedger() {
  const { t } = useTranslation();
  const [subject, setSubject] = useState('');
  const history = useMutation({
    mutationFn: () =>
      unwrap(api.GET('/v1/consent/subjects/{subject}/history', { params: { path: { subject } } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    history.mutate();
  };
  return (
    <Stack gap="md">
      <form onSubmit={submit}>
        <Group align="flex-end">
          <TextInput
            label={t('console.consent.subjectLabel')}
            description={t('console.consent.subjectHint')}
            value={subject}
            onChange={(event) => setSubject(event.currentTarget.value)}
            required
            w={360}
          />
          <Button type="submit" loading={history.isPending}>
            {t('console.consent.lookUp')}
          </Button>
        </Group>
      </form>
      {history.isError && <ErrorNotice error={history.error} />}
      {history.data && (
        <>
          <div className="table-scroll">
            <Table>
              <Table.Caption>{t('console.consent.current')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('console.consent.purpose')}</Table.Th>
                  <Table.Th>{t('console.consent.status')}</Table.Th>
                  <Table.Th>{t('console.consent.since')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {history.data.current.map((state) => (
                  <Table.Tr key={state.purpose} data-testid={`consent-state-${state.purpose}`}>
                    <Table.Td className="mono">{state.purpose}</Table.Td>
                    <Table.Td>
                      <Badge
                        variant="light"
                        color={
                          state.status === 'given' ? 'green' : state.status === 'withdrawn' ? 'red' : 'gray'
                        }
                      >
                        {t(`console.consent.statuses.${state.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatDate(state.since, true)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
          <div className="table-scroll">
            <Table striped>
              <Table.Caption>{t('console.consent.ledger')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('console.consent.when')}</Table.Th>
                  <Table.Th>{t('console.consent.purpose')}</Table.Th>
                  <Table.Th>{t('console.consent.action')}</Table.Th>
                  <Table.Th>{t('console.consent.notice')}</Table.Th>
                  <Table.Th>{t('console.consent.source')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...history.data.entries].reverse().map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td>{formatDate(entry.occurredAt, true)}</Table.Td>
                    <Table.Td className="mono">{entry.purpose}</Table.Td>
                    <Table.Td>{entry.action}</Table.Td>
                    <Table.Td>
                      {entry.notice ? `${entry.notice} v${entry.noticeVersion ?? ''}` : '–'}
                    </Table.Td>
                    <Table.Td>{entry.source}</Table.Td>
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

function Analytics() {
  const { t } = useTranslation();
  const dashboard = useQuery({
    queryKey: ['dashboard'],
    queryFn: () => unwrap(api.GET('/v1/console/dashboard')),
  });
  if (dashboard.isPending) return <Loading />;
  if (dashboard.isError) return <ErrorNotice error={dashboard.error} />;
  const consent = dashboard.data.consent;
  if (!consent) return null;
  const days = lastDays(consent.days);
  return (
    <div className="table-scroll">
      <Table>
        <Table.Caption>{t('console.consent.analyticsCaption', { days: consent.days })}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('console.consent.purpose')}</Table.Th>
            <Table.Th>{t('console.consent.statuses.given')}</Table.Th>
            <Table.Th>{t('console.consent.statuses.withdrawn')}</Table.Th>
            <Table.Th>{t('console.consent.statuses.expired')}</Table.Th>
            <Table.Th>{t('console.consent.rate')}</Table.Th>
            <Table.Th w={260}>{t('console.consent.trend')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {consent.purposes.map((purpose) => {
            const decided = purpose.given + purpose.withdrawn + purpose.expired;
            const series = days.map(
              (day) => purpose.daily.find((d) => d.day === day) ?? { given: 0, withdrawn: 0 },
            );
            return (
              <Table.Tr key={purpose.purpose}>
                <Table.Td className="mono">{purpose.purpose}</Table.Td>
                <Table.Td>{purpose.given}</Table.Td>
                <Table.Td>{purpose.withdrawn}</Table.Td>
                <Table.Td>{purpose.expired}</Table.Td>
                <Table.Td>{decided ? `${Math.round((purpose.given / decided) * 100)}%` : '–'}</Table.Td>
                <Table.Td>
                  <Sparkline
                    days={days}
                    series={series}
                    label={t('console.dashboard.sparkline', {
                      days: consent.days,
                      given: series.reduce((n, p) => n + p.given, 0),
                      withdrawn: series.reduce((n, p) => n + p.withdrawn, 0),
                    })}
                  />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </div>
  );
}
