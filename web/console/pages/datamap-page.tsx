import {
  Accordion,
  Badge,
  Button,
  Group,
  List,
  Paper,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { Loading } from '../../shared/components/loading.tsx';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { api } from '../api.ts';
import { DataMapGraph, type DataMap } from '../components/datamap-graph.tsx';

type Strategy = { strategy: string; [key: string]: unknown } | undefined;

function describeErasure(erasure: Strategy): string {
  if (!erasure) return '–';
  if (erasure.strategy === 'keep')
    return `keep: ${String(erasure.article ?? erasure.ground ?? '')} ${String(erasure.period ?? '')}`.trim();
  return erasure.strategy;
}

/** Systems, collections and fields with what the law asks of them; the flows as a graph; a validator. */
export function Page() {
  const { t } = useTranslation();
  const dataMap = useQuery({ queryKey: ['datamap'], queryFn: () => unwrap(api.GET('/v1/datamap')) });
  const title = t('console.datamap.title');
  return (
    <Stack gap="lg">
      <PageTitle documentTitle={title} app={t('console.title')}>
        {title}
      </PageTitle>
      {dataMap.isPending && <Loading />}
      {dataMap.isError && <ErrorNotice error={dataMap.error} />}
      {dataMap.data && (
        <Tabs defaultValue="systems" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="systems">{t('console.datamap.systems')}</Tabs.Tab>
            <Tabs.Tab value="graph">{t('console.datamap.graph')}</Tabs.Tab>
            <Tabs.Tab value="validate">{t('console.datamap.validate')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="systems" pt="md">
            <Systems dataMap={dataMap.data} />
          </Tabs.Panel>
          <Tabs.Panel value="graph" pt="md">
            <DataMapGraph dataMap={dataMap.data} />
          </Tabs.Panel>
          <Tabs.Panel value="validate" pt="md">
            <Validator />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}

function Systems({ dataMap }: { dataMap: DataMap }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <Text size="sm">
        {t('console.datamap.identities', {
          list: dataMap.identities.map((i) => `${i.name} (${i.match})`).join(', '),
        })}
      </Text>
      {dataMap.systems.map((system) => (
        <Paper withBorder p="md" key={system.id} component="section" aria-labelledby={`system-${system.id}`}>
          <Group justify="space-between" mb="xs">
            <Title order={2} size="h3" id={`system-${system.id}`}>
              {system.name ?? system.id}
            </Title>
            <Group gap="xs">
              <Badge variant="light">{system.kind}</Badge>
              <Badge variant="light" color="gray">
                {t(`console.datamap.roles.${system.role}`)}
              </Badge>
              {system.region && (
                <Badge variant="light" color="gray">
                  {system.region}
                </Badge>
              )}
            </Group>
          </Group>
          {system.owner && <Text size="sm">{t('console.datamap.owner', { owner: system.owner })}</Text>}
          <Accordion multiple variant="separated" mt="sm">
            {system.collections.map((collection) => (
              <Accordion.Item key={collection.name} value={collection.name}>
                <Accordion.Control>
                  <Group gap="xs">
                    <Text fw={600} className="mono">
                      {collection.name}
                    </Text>
                    <Text size="xs">
                      {t('console.datamap.fieldCount', { count: collection.fields.length })}
                      {collection.retention
                        ? ` · ${t('console.datamap.retention', { keepFor: collection.retention.keepFor, action: collection.retention.action })}`
                        : ''}
                      {collection.erasure ? ` · ${describeErasure(collection.erasure as Strategy)}` : ''}
                    </Text>
                    {collection.fields.some((f) => f.review) && (
                      <Badge color="orange" variant="light" size="sm">
                        {t('console.datamap.review')}
                      </Badge>
                    )}
                  </Group>
                </Accordion.Control>
                <Accordion.Panel>
                  {collection.purposes.length > 0 && (
                    <Text size="sm" mb="xs">
                      {t('console.datamap.purposes', {
                        list: collection.purposes.map((p) => `${p.use} (${p.legalBasis})`).join(', '),
                      })}
                    </Text>
                  )}
                  <div className="table-scroll">
                    <Table striped>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t('console.datamap.field')}</Table.Th>
                          <Table.Th>{t('console.datamap.categories')}</Table.Th>
                          <Table.Th>{t('console.datamap.identity')}</Table.Th>
                          <Table.Th>{t('console.datamap.erasure')}</Table.Th>
                          <Table.Th>{t('console.datamap.references')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {collection.fields.map((field) => (
                          <Table.Tr key={field.name}>
                            <Table.Td className="mono">
                              {field.name}
                              {field.review && (
                                <Badge color="orange" variant="light" size="xs" ml={4}>
                                  {t('console.datamap.review')}
                                </Badge>
                              )}
                            </Table.Td>
                            <Table.Td>{field.categories.join(', ') || '–'}</Table.Td>
                            <Table.Td>{field.identity ?? ''}</Table.Td>
                            <Table.Td>{describeErasure(field.erasure as Strategy)}</Table.Td>
                            <Table.Td>
                              {field.references
                                .map(
                                  (r) =>
                                    `${r.direction === 'to' ? '←' : '→'} ${r.target.system}.${r.target.collection}.${r.target.field}${r.foreignKey ? ` (${r.foreignKey.onDelete})` : ''}`,
                                )
                                .join(', ')}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </div>
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        </Paper>
      ))}
    </Stack>
  );
}

/** A proposed data-map file checked by the API: each finding with its file, line, problem and fix. */
function Validator() {
  const { t } = useTranslation();
  const [manifest, setManifest] = useState('');
  const validate = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/datamap/validate', { body: { manifest, name: 'proposed.yaml' } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    validate.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Textarea
          label={t('console.datamap.manifest')}
          description={t('console.datamap.manifestHint')}
          value={manifest}
          onChange={(event) => setManifest(event.currentTarget.value)}
          autosize
          minRows={8}
          maxRows={24}
          required
          classNames={{ input: 'mono' }}
        />
        <div>
          <Button type="submit" loading={validate.isPending}>
            {t('console.datamap.check')}
          </Button>
        </div>
        {validate.isError && <ErrorNotice error={validate.error} />}
        {validate.data && (
          <Paper withBorder p="md" role="status">
            <Text fw={600} mb="xs">
              {validate.data.valid
                ? t('console.datamap.valid', {
                    systems: validate.data.systems,
                    collections: validate.data.collections,
                  })
                : t('console.datamap.invalid', {
                    count: validate.data.problems.filter((p) => p.severity === 'error').length,
                  })}
            </Text>
            <List size="sm">
              {validate.data.problems.map((problem, index) => (
                <List.Item key={index}>
                  <Badge
                    color={problem.severity === 'error' ? 'red' : 'orange'}
                    variant="light"
                    size="sm"
                    mr={6}
                  >
                    {problem.severity}
                  </Badge>
                  {problem.line ? `${t('console.datamap.line', { line: problem.line })} ` : ''}
                  <span className="mono">{problem.path}</span>: {problem.message}{' '}
                  {t('console.datamap.fix', { fix: problem.fix })}
                </List.Item>
              ))}
            </List>
          </Paper>
        )}
      </Stack>
    </form>
  );
}
