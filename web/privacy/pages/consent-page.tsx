import { Alert, Button, Group, Paper, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { paths } from '@steward/sdk';
import { isApiError, unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { formatDate } from '../../shared/components/formatting.ts';
import { Loading } from '../../shared/components/loading.tsx';
import { localized } from '../../shared/components/localized.ts';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { api } from '../api.ts';
import { usePrivacyCenterConfig } from '../privacy-center-config.ts';

type SubjectConsent =
  paths['/v1/privacy-center/consent']['get']['responses'][200]['content']['application/json'];
type NoticeChoice = SubjectConsent['notices'][number];

const CONSENT_KEY = ['privacy-consent'];
const SALE_AND_SHARING = 'ccpa.sale_sharing';

/** A person's consent choices: proven with a mailed code, then per notice give or withdraw, and the history. */
export function ConsentPage() {
  const { t } = useTranslation();
  const { data: config } = usePrivacyCenterConfig();
  const consent = useQuery({
    queryKey: CONSENT_KEY,
    queryFn: () => unwrap(api.GET('/v1/privacy-center/consent')),
    retry: false,
  });
  const title = localized(config?.consent.title) ?? t('privacy.consent.title');
  return (
    <Stack gap="md">
      <PageTitle documentTitle={title} app={t('privacy.title')}>
        {title}
      </PageTitle>
      {consent.isPending && <Loading />}
      {consent.isError &&
        (isApiError(consent.error, 401) ? <ProveAddress /> : <ErrorNotice error={consent.error} />)}
      {consent.data && <Choices consent={consent.data} />}
    </Stack>
  );
}

/** Step one: the address gets a code; step two: the code proves the address is the visitor's. */
function ProveAddress() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const send = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/privacy-center/consent/codes', { body: { email } })),
  });
  const confirm = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/privacy-center/consent/session', {
          body: { challengeId: send.data!.challengeId, email, code },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CONSENT_KEY }),
  });
  const onSend = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  const onConfirm = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate();
  };
  return (
    <Paper withBorder p="lg">
      <Stack gap="md">
        <Text>{t('privacy.consent.intro')}</Text>
        <form onSubmit={onSend}>
          <Stack gap="sm">
            <TextInput
              label={t('privacy.identities.email')}
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              readOnly={send.isSuccess}
            />
            {send.isError && <ErrorNotice error={send.error} />}
            {!send.isSuccess && (
              <div>
                <Button type="submit" loading={send.isPending}>
                  {t('privacy.consent.sendCode')}
                </Button>
              </div>
            )}
          </Stack>
        </form>
        {send.isSuccess && (
          <form onSubmit={onConfirm}>
            <Stack gap="sm">
              <Alert color="blue" variant="light" role="status">
                {t('privacy.consent.codeSent')}
              </Alert>
              <TextInput
                label={t('privacy.verify.code')}
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                value={code}
                onChange={(event) => setCode(event.currentTarget.value)}
              />
              {confirm.isError && <ErrorNotice error={confirm.error} />}
              <Group>
                <Button type="submit" loading={confirm.isPending}>
                  {t('privacy.verify.submit')}
                </Button>
                <Button variant="subtle" onClick={() => send.reset()}>
                  {t('privacy.consent.otherAddress')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}

function Choices({ consent }: { consent: SubjectConsent }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (input: { notice: string; action: 'given' | 'withdrawn' }) =>
      unwrap(api.PUT('/v1/privacy-center/consent', { body: { changes: [input] } })),
    onSuccess: (data) => queryClient.setQueryData(CONSENT_KEY, data),
  });
  const signOut = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/privacy-center/consent/session')),
    onSuccess: () => queryClient.resetQueries({ queryKey: CONSENT_KEY }),
  });
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Text>{t('privacy.consent.signedInAs', { subject: consent.subject })}</Text>
        <Button variant="subtle" size="xs" onClick={() => signOut.mutate()}>
          {t('privacy.consent.signOut')}
        </Button>
      </Group>
      {consent.gpc.signal && (
        <Alert color="blue" variant="light" title={t('privacy.consent.gpcTitle')} role="status">
          {consent.gpc.optedOut ? t('privacy.consent.gpcHonoured') : t('privacy.consent.gpcSeen')}
        </Alert>
      )}
      {change.isError && <ErrorNotice error={change.error} />}
      <section aria-labelledby="notices-heading">
        <Title order={2} size="h3" id="notices-heading" mb="sm">
          {t('privacy.consent.notices')}
        </Title>
        <Stack gap="md">
          {consent.notices.map((notice) => (
            <NoticeCard
              key={notice.key}
              notice={notice}
              gpc={consent.gpc.signal}
              busy={change.isPending && change.variables?.notice === notice.key}
              onChange={(action) => change.mutate({ notice: notice.key, action })}
            />
          ))}
        </Stack>
      </section>
      <section aria-labelledby="history-heading">
        <Title order={2} size="h3" id="history-heading" mb="sm">
          {t('privacy.consent.history')}
        </Title>
        {consent.history.length === 0 ? (
          <Text>{t('privacy.consent.noHistory')}</Text>
        ) : (
          <div className="table-scroll">
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('privacy.consent.when')}</Table.Th>
                  <Table.Th>{t('privacy.consent.notice')}</Table.Th>
                  <Table.Th>{t('privacy.consent.choice')}</Table.Th>
                  <Table.Th>{t('privacy.consent.source')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...consent.history].reverse().map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td>{formatDate(entry.occurredAt, true)}</Table.Td>
                    <Table.Td>{entry.noticeTitle ?? entry.purpose}</Table.Td>
                    <Table.Td>{t(`privacy.consent.actions.${entry.action}`)}</Table.Td>
                    <Table.Td>
                      {t(`privacy.consent.sources.${entry.source}`, { defaultValue: entry.source })}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </section>
    </Stack>
  );
}

function NoticeCard({
  notice,
  gpc,
  busy,
  onChange,
}: {
  notice: NoticeChoice;
  gpc: boolean;
  busy: boolean;
  onChange: (action: 'given' | 'withdrawn') => void;
}) {
  const { t } = useTranslation();
  const allowed =
    notice.status === 'given' || (notice.mechanism === 'opt_out' && notice.status === 'not_set');
  const lockedByGpc = gpc && notice.purpose === SALE_AND_SHARING;
  const stateText =
    notice.status === 'not_set'
      ? t(`privacy.consent.status.notSet_${notice.mechanism}`)
      : t(`privacy.consent.status.${notice.status}`, { date: formatDate(notice.since) });
  return (
    <Paper withBorder p="md" component="article" aria-labelledby={`notice-${notice.key}`}>
      <Stack gap="xs">
        <Title order={3} size="h4" id={`notice-${notice.key}`}>
          {notice.title}
        </Title>
        <Text size="sm" className="pre-wrap">
          {notice.text}
        </Text>
        <Text size="xs" c="dimmed">
          {t('privacy.consent.version', { version: notice.version })} ·{' '}
          {t(`privacy.consent.legalBasis.${notice.legalBasis}`, { defaultValue: notice.legalBasis })}
        </Text>
        <Text size="sm">{stateText}</Text>
        {notice.mechanism !== 'notice_only' && (
          <Switch
            label={t(
              notice.mechanism === 'opt_out' ? 'privacy.consent.allowOptOut' : 'privacy.consent.allow',
            )}
            description={lockedByGpc ? t('privacy.consent.gpcLocked') : undefined}
            checked={allowed}
            disabled={busy || (lockedByGpc && !allowed)}
            onChange={(event) => onChange(event.currentTarget.checked ? 'given' : 'withdrawn')}
          />
        )}
      </Stack>
    </Paper>
  );
}
