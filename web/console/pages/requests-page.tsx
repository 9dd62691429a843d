import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { paths } from '@steward/sdk';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { formatDate } from '../../shared/components/formatting.ts';
import { Loading } from '../../shared/components/loading.tsx';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { RequestStateBadge } from '../../shared/components/request-state-badge.tsx';
import { api } from '../api.ts';

type ListQuery = NonNullable<paths['/v1/requests']['get']['parameters']['query']>;
export type RequestSummary =
  paths['/v1/requests']['get']['responses'][200]['content']['application/json']['items'][number];

export const REQUEST_STATES = [
  'received',
  'verifying',
  'verified',
  'awaiting_approval',
  'in_progress',
  'completed',
  'partially_completed',
  'denied',
  'failed',
  'cancelled',
];
export const REQUEST_TYPES = [
  'access',
  'portability',
  'erasure',
  'rectification',
  'restriction',
  'objection',
];

/** The queue: filters kept in the address (so the dashboard links into it), and search by identity. */
export function Page() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters: ListQuery = {
    ...(params.get('state') ? { state: params.get('state')! } : {}),
    ...(params.get('type') ? { type: params.get('type')! } : {}),
    ...(params.get('regime') ? { regime: params.get('regime') as 'gdpr' | 'ccpa' } : {}),
    ...(params.get('overdue') === 'true' ? { overdue: 'true' as const } : {}),
    limit: 50,
  };
  const list = useInfiniteQuery({
    queryKey: ['requests', filters],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/requests', {
          params: { query: { ...filters, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const update = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const title = t('console.requests.title');
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="lg">
      <PageTitle documentTitle={title} app={t('console.title')}>
        {title}
      </PageTitle>
      <Paper withBorder p="md" component="section" aria-label={t('console.requests.filters')}>
        <Group align="flex-end" gap="md">
          <MultiSelect
            label={t('console.requests.state')}
            data={REQUEST_STATES.map((state) => ({ value: state, label: t(`common.states.${state}`) }))}
            value={params.get('state')?.split(',').filter(Boolean) ?? []}
            onChange={(value) => update('state', value.join(','))}
            clearable
            w={280}
          />
          <Select
            label={t('console.requests.type')}
            data={REQUEST_TYPES.map((type) => ({ value: type, label: t(`console.types.${type}`) }))}
            value={params.get('type')}
            onChange={(value) => update('type', value)}
            clearable
            w={200}
          />
          <Select
            label={t('console.requests.regime')}
            data={[
              { value: 'gdpr', label: 'GDPR' },
              { value: 'ccpa', label: 'CCPA' },
            ]}
            value={params.get('regime')}
            onChange={(value) => update('regime', value)}
            clearable
            w={140}
          />
          <Checkbox
            label={t('console.requests.overdueOnly')}
            checked={params.get('overdue') === 'true'}
            onChange={(event) => update('overdue', event.currentTarget.checked ? 'true' : null)}
            mb={8}
          />
        </Group>
      </Paper>
      {list.isPending && <Loading />}
      {list.isError && <ErrorNotice error={list.error} />}
      {list.isSuccess && (
        <>
          {items.length === 0 ? <Text>{t('console.requests.none')}</Text> : <RequestTable items={items} />}
          {list.hasNextPage && (
            <div>
              <Button
                variant="default"
                onClick={() => void list.fetchNextPage()}
                loading={list.isFetchingNextPage}
              >
                {t('console.requests.more')}
              </Button>
            </div>
          )}
        </>
      )}
      <IdentitySearch />
    </Stack>
  );
}

export function RequestTable({ items }: { items: RequestSummary[] }) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll">
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('console.requests.received')}</Table.Th>
            <Table.Th>{t('console.requests.type')}</Table.Th>
            <Table.Th>{t('console.requests.state')}</Table.Th>
            <Table.Th>{t('console.requests.due')}</Table.Th>
            <Table.Th>{t('console.requests.source')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((request) => (
            <Table.Tr key={request.id}>
              <Table.Td>
                <Anchor component={Link} to={`/console/requests/${request.id}`}>
                  {formatDate(request.receivedAt, true)}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {t(`console.types.${request.type}`)}{' '}
                <Badge variant="light" color="gray" size="sm">
                  {request.regime.toUpperCase()}
                </Badge>
              </Table.Td>
              <Table.Td>
                <RequestStateBadge state={request.state} />
              </Table.Td>
              <Table.Td>
                {formatDate(request.dueAt)}{' '}
                {request.overdue && (
                  <Badge color="red" variant="light" size="sm">
                    {t('console.requests.overdue')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{t(`console.requests.sources.${request.source}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

/** Finding a person's requests by one identity; the search is audited by the API. */
function IdentitySearch() {
  const { t } = useTranslation();
  const [identity, setIdentity] = useState('email');
  const [value, setValue] = useState('');
  const search = useMutation({
    mutationFn: () =>
      unwrap(api.GET('/v1/console/requests/search', { params: { query: { identity, value } } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    search.mutate();
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="search-heading">
      <Title order={2} size="h4" id="search-heading" mb="xs">
        {t('console.requests.search')}
      </Title>
      <Text size="sm" mb="sm">
        {t('console.requests.searchHint')}
      </Text>
      <form onSubmit={submit}>
        <Group align="flex-end">
          <TextInput
            label={t('console.requests.identity')}
            value={identity}
            onChange={(e) => setIdentity(e.currentTarget.value)}
            required
            w={160}
          />
          <TextInput
            label={t('console.requests.value')}
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            required
            w={280}
          />
          <Button type="submit" loading={search.isPending}>
            {t('console.requests.find')}
          </Button>
        </Group>
      </form>
      {search.isError && <ErrorNotice error={search.error} />}
      {search.isSuccess &&
        (search.data.items.length ? (
          <div className="table-scroll">
            <RequestTable items={search.data.items} />
          </div>
        ) : (
          <Text mt="sm">{t('console.requests.noneFound')}</Text>
        ))}
    </Paper>
  );
}
