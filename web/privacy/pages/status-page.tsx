import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { formatDate } from '../../shared/components/formatting.ts';
import { Loading } from '../../shared/components/loading.tsx';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { RequestStateBadge } from '../../shared/components/request-state-badge.tsx';
import { api, tenant } from '../api.ts';
import { privacyPath } from '../privacy-center-config.ts';
import { VerifyCodeForm } from './verify-code-form.tsx';

const CLOSED = new Set(['completed', 'partially_completed', 'denied', 'failed', 'cancelled']);

/** A request's state and deadline, by its reference; the code step again if it is still unconfirmed. */
export function StatusPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: ['privacy-request', id],
    queryFn: () => unwrap(api.GET('/v1/privacy-center/requests/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data && CLOSED.has(query.state.data.state) ? false : 15_000),
  });
  return (
    <Stack gap="md">
      <PageTitle documentTitle={t('privacy.status.title')} app={t('privacy.title')}>
        {t('privacy.status.title')}
      </PageTitle>
      {search.get('verified') === '1' && (
        <Alert color="green" variant="light" role="status">
          {t('privacy.status.verified')}
        </Alert>
      )}
      {status.isPending && <Loading />}
      {status.isError && <ErrorNotice error={status.error} />}
      {status.data && (
        <Paper withBorder p="lg">
          <Stack gap="md">
            <Table variant="vertical" layout="fixed" withTableBorder={false}>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th w="40%">{t('privacy.status.reference')}</Table.Th>
                  <Table.Td className="mono">{status.data.id}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('privacy.status.type')}</Table.Th>
                  <Table.Td>{t(`privacy.actions.${status.data.type}.title`)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('privacy.status.state')}</Table.Th>
                  <Table.Td>
                    <RequestStateBadge state={status.data.state} />
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('privacy.status.received')}</Table.Th>
                  <Table.Td>{formatDate(status.data.receivedAt)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('privacy.status.due')}</Table.Th>
                  <Table.Td>{formatDate(status.data.dueAt)}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            <Text>{t(`privacy.status.explain.${status.data.state}`)}</Text>
            {(status.data.state === 'received' || status.data.state === 'verifying') && (
              <VerifyCodeForm
                requestId={status.data.id}
                onVerified={() => void queryClient.invalidateQueries({ queryKey: ['privacy-request', id] })}
              />
            )}
            {status.data.type === 'access' || status.data.type === 'portability' ? (
              <Text size="sm">{t('privacy.status.downloadHint')}</Text>
            ) : null}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

/** Finding a request by the reference from its emails. */
export function StatusLookupPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [reference, setReference] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void navigate(privacyPath(`/privacy/requests/${encodeURIComponent(reference.trim())}`, tenant));
  };
  return (
    <Stack gap="md">
      <PageTitle documentTitle={t('privacy.status.lookupTitle')} app={t('privacy.title')}>
        {t('privacy.status.lookupTitle')}
      </PageTitle>
      <Paper withBorder p="lg" component="form" onSubmit={submit}>
        <Stack gap="sm">
          <TextInput
            label={t('privacy.status.reference')}
            description={t('privacy.status.referenceHint')}
            value={reference}
            onChange={(event) => setReference(event.currentTarget.value)}
            required
            maxLength={64}
          />
          <Group>
            <Button type="submit">{t('privacy.status.lookup')}</Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
