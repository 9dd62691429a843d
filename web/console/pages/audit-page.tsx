import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Pagination,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError, unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { formatDate, formatNumber } from '../../shared/components/formatting.ts';
import { Loading } from '../../shared/components/loading.tsx';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { api } from '../api.ts';
import { leafHashOf, verifyInclusion } from '../components/merkle-inclusion.ts';

const PAGE = 25;

interface EntryFields {
  action?: string;
  outcome?: string;
  recordedAt?: string;
  actor?: { kind?: string; id?: string };
  object?: { type?: string; id?: string };
}

function fieldsOf(entry: string): EntryFields {
  try {
    return JSON.parse(entry) as EntryFields;
  } catch {
    return {};
  }
}

/** The tamper-evident log: its signed checkpoint, the entries, and each entry's inclusion checked here. */
export function Page() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const checkpoint = useQuery({
    queryKey: ['audit-checkpoint'],
    queryFn: () => unwrap(api.GET('/v1/audit/checkpoint')),
    retry: false,
  });
  const treeSize = checkpoint.data?.treeSize;
  const entries = useQuery({
    queryKey: ['audit-entries', page, treeSize],
    enabled: treeSize !== undefined,
    queryFn: () => {
      // Newest first: the last page of the checkpointed tree is page 1.
      const from = Math.max(0, treeSize! - page * PAGE);
      const limit = Math.min(PAGE, treeSize! - (page - 1) * PAGE - from);
      return unwrap(api.GET('/v1/audit/entries', { params: { query: { from, limit: Math.max(1, limit) } } }));
    },
  });
  const title = t('console.audit.title');
  return (
    <Stack gap="lg">
      <PageTitle documentTitle={title} app={t('console.title')}>
        {title}
      </PageTitle>
      {checkpoint.isPending && <Loading />}
      {checkpoint.isError &&
        (isApiError(checkpoint.error, 404) ? (
          <Alert variant="light">{checkpoint.error.detail}</Alert>
        ) : (
          <ErrorNotice error={checkpoint.error} />
        ))}
      {checkpoint.data && (
        <Paper withBorder p="md" component="section" aria-labelledby="checkpoint-heading">
          <Title order={2} size="h4" id="checkpoint-heading" mb="xs">
            {t('console.audit.checkpoint')}
          </Title>
          <Text size="sm">
            {t('console.audit.treeSize', { size: formatNumber(checkpoint.data.treeSize) })}
          </Text>
          <Text size="sm" className="mono">
            {t('console.audit.root')}: {checkpoint.data.rootHash}
          </Text>
          <Code block mt="xs">
            {checkpoint.data.note}
          </Code>
        </Paper>
      )}
      {entries.isError && <ErrorNotice error={entries.error} />}
      {entries.data && checkpoint.data && (
        <section aria-labelledby="entries-heading">
          <Title order={2} size="h3" id="entries-heading" mb="sm">
            {t('console.audit.entries')}
          </Title>
          <div className="table-scroll">
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>{t('console.audit.when')}</Table.Th>
                  <Table.Th>{t('console.audit.action')}</Table.Th>
                  <Table.Th>{t('console.audit.actor')}</Table.Th>
                  <Table.Th>{t('console.audit.proof')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...entries.data.entries].reverse().map((entry) => {
                  const fields = fieldsOf(entry.entry);
                  return (
                    <Table.Tr key={entry.index}>
                      <Table.Td>{entry.index}</Table.Td>
                      <Table.Td>{formatDate(fields.recordedAt, true)}</Table.Td>
                      <Table.Td>
                        <span className="mono">{fields.action ?? ''}</span>{' '}
                        {fields.outcome && fields.outcome !== 'success' && (
                          <Badge color="orange" variant="light" size="sm">
                            {fields.outcome}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>{fields.actor?.kind ?? ''}</Table.Td>
                      <Table.Td>
                        <InclusionCheck
                          index={entry.index}
                          entry={entry.entry}
                          treeSize={checkpoint.data.treeSize}
                          checkpointRoot={checkpoint.data.rootHash}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </div>
          <Pagination
            mt="md"
            total={Math.max(1, Math.ceil(checkpoint.data.treeSize / PAGE))}
            value={page}
            onChange={setPage}
            aria-label={t('console.audit.pages')}
            getControlProps={(control) => ({ 'aria-label': t(`console.audit.pageControls.${control}`) })}
          />
        </section>
      )}
    </Stack>
  );
}

/** Fetches the entry's inclusion proof for the checkpoint and verifies it in this browser. */
function InclusionCheck({
  index,
  entry,
  treeSize,
  checkpointRoot,
}: {
  index: number;
  entry: string;
  treeSize: number;
  checkpointRoot: string;
}) {
  const { t } = useTranslation();
  const check = useMutation({
    mutationFn: async () => {
      const proof = await unwrap(
        api.GET('/v1/audit/proofs/inclusion', { params: { query: { index, treeSize } } }),
      );
      const leaf = await leafHashOf(entry);
      return (
        leaf === proof.leafHash &&
        proof.rootHash === checkpointRoot &&
        (await verifyInclusion({ ...proof, leafHash: leaf, rootHash: checkpointRoot }))
      );
    },
  });
  if (check.isSuccess) {
    return (
      <Badge color={check.data ? 'green' : 'red'} variant="light" role="status">
        {check.data ? t('console.audit.verified') : t('console.audit.notVerified')}
      </Badge>
    );
  }
  return (
    <Group gap={4}>
      <Button
        size="compact-xs"
        variant="default"
        onClick={() => check.mutate()}
        loading={check.isPending}
        aria-label={t('console.audit.verifyEntry', { index })}
      >
        {t('console.audit.verify')}
      </Button>
      {check.isError && (
        <Text size="xs">{isApiError(check.error) ? check.error.detail : t('common.errors.unknown')}</Text>
      )}
    </Group>
  );
}
