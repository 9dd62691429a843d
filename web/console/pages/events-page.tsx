import { Badge, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { formatDate } from '../../shared/components/formatting.ts';
import { Loading } from '../../shared/components/loading.tsx';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';

/** Where events go (webhooks) and what could not be delivered (dead letters), with a replay. */
export function Page() {
  const { t } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const webhooks = useQuery({ queryKey: ['webhooks'], queryFn: () => unwrap(api.GET('/v1/webhooks')) });
  const dead = useQuery({
    queryKey: ['dead-letters'],
    queryFn: () => unwrap(api.GET('/v1/events/dead-letters')),
  });
  const replay = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/events/dead-letters/replay', { body: {} })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['dead-letters'] }),
  });
  const title = t('console.events.title');
  return (
    <Stack gap="lg">
      <PageTitle documentTitle={title} app={t('console.title')}>
        {title}
      </PageTitle>
      <section aria-labelledby="webhooks-heading">
        <Title order={2} size="h3" id="webhooks-heading" mb="sm">
          {t('console.events.webhooks')}
        </Title>
        {webhooks.isPending && <Loading />}
        {webhooks.isError && <ErrorNotice error={webhooks.error} />}
        {webhooks.data &&
          (webhooks.data.webhooks.length === 0 ? (
            <Text>{t('console.events.noWebhooks')}</Text>
          ) : (
            <div className="table-scroll">
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>URL</Table.Th>
                    <Table.Th>{t('console.events.types')}</Table.Th>
                    <Table.Th>{t('console.events.active')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {webhooks.data.webhooks.map((webhook) => (
                    <Table.Tr key={webhook.id}>
                      <Table.Td className="mono">{webhook.url}</Table.Td>
                      <Table.Td>{webhook.eventTypes.join(', ')}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={webhook.active ? 'green' : 'gray'}>
                          {webhook.active ? t('console.events.on') : t('console.events.off')}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          ))}
      </section>
      <section aria-labelledby="dead-heading">
        <Title order={2} size="h3" id="dead-heading" mb="sm">
          {t('console.events.deadLetters')}
        </Title>
        {dead.isPending && <Loading />}
        {dead.isError && <ErrorNotice error={dead.error} />}
        {replay.isError && <ErrorNotice error={replay.error} />}
        {dead.data &&
          (dead.data.deadLetters.length === 0 ? (
            <Text>{t('console.events.noDeadLetters')}</Text>
          ) : (
            <Stack gap="sm">
              {session.can('events:write') && (
                <div>
                  <Button onClick={() => replay.mutate()} loading={replay.isPending}>
                    {t('console.events.replay', { count: dead.data.deadLetters.length })}
                  </Button>
                </div>
              )}
              <div className="table-scroll">
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('console.events.event')}</Table.Th>
                      <Table.Th>{t('console.events.destination')}</Table.Th>
                      <Table.Th>{t('console.events.attempts')}</Table.Th>
                      <Table.Th>{t('console.events.deadSince')}</Table.Th>
                      <Table.Th>{t('console.events.lastError')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {dead.data.deadLetters.map((letter) => (
                      <Table.Tr key={letter.deliveryId}>
                        <Table.Td className="mono">{letter.eventType}</Table.Td>
                        <Table.Td>{letter.destination}</Table.Td>
                        <Table.Td>{letter.attempts}</Table.Td>
                        <Table.Td>{formatDate(letter.deadSince, true)}</Table.Td>
                        <Table.Td>{letter.lastError ?? ''}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </div>
            </Stack>
          ))}
      </section>
    </Stack>
  );
}
