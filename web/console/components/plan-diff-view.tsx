import { Alert, Badge, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { paths } from '@steward/sdk';

export type PlanDiff =
  paths['/v1/console/requests/{id}/plan']['get']['responses'][200]['content']['application/json'];
type Change = PlanDiff['systems'][number]['collections'][number]['change'];

const CHANGE_COLOURS: Record<Change, string> = {
  read: 'teal',
  delete: 'red',
  mask: 'orange',
  keep: 'blue',
  update: 'teal',
  none: 'gray',
};

/**
 * A request's plan as a diff, per system and collection: how the subject's rows are found, what
 * happens to them (read, delete, mask, update, keep) and which legal hold keeps what (GDPR Art. 17(3)).
 */
export function PlanDiffView({ plan }: { plan: PlanDiff }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <Text size="sm">
        {t('console.plan.identities', {
          list: plan.identities.map((i) => `${i.name} (${i.values})`).join(', '),
        })}
      </Text>
      {plan.errors.length > 0 && (
        <Alert color="red" variant="light" title={t('console.plan.errors')} role="alert">
          <List size="sm">
            {plan.errors.map((error) => (
              <List.Item key={error}>{error}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {plan.systems.map((system) => (
        <section key={system.system} aria-label={t('console.plan.system', { system: system.system })}>
          <Title order={3} size="h5" mb="xs">
            {t('console.plan.system', { system: system.system })}{' '}
            <Badge variant="light" color="gray">
              {system.kind}
            </Badge>
          </Title>
          <Stack gap="xs">
            {system.collections.map((collection) => (
              <Paper
                key={collection.collection}
                withBorder
                p="sm"
                className={`diff-${collection.change}`}
                data-testid={`plan-${system.system}.${collection.collection}`}
              >
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Text fw={600} className="mono">
                    {collection.collection}
                  </Text>
                  <Group gap="xs">
                    {collection.estimatedRows !== undefined && (
                      <Text size="sm">{t('console.plan.rows', { count: collection.estimatedRows })}</Text>
                    )}
                    <Badge color={CHANGE_COLOURS[collection.change]} variant="light">
                      {t(`console.plan.changes.${collection.change}`)}
                    </Badge>
                  </Group>
                </Group>
                <Text size="xs" c="dimmed">
                  {t('console.plan.reachedBy', { via: collection.reachedBy.join(' · ') })}
                </Text>
                {collection.fields.length > 0 && (
                  <Text size="sm" mt={4}>
                    {collection.fields
                      .map(
                        (field) =>
                          `${field.field}: ${t(`console.plan.fieldChanges.${field.change}`)}${field.detail ? ` (${field.detail})` : ''}`,
                      )
                      .join(' · ')}
                  </Text>
                )}
                {collection.holds.map((hold) => (
                  <Alert
                    key={`${hold.field ?? ''}${hold.article}`}
                    color="blue"
                    variant="light"
                    mt="xs"
                    p="xs"
                    title={t('console.plan.hold', { article: hold.article })}
                  >
                    <Text size="sm">
                      {hold.field
                        ? t('console.plan.holdField', { field: hold.field })
                        : t('console.plan.holdRows')}{' '}
                      {hold.reason}
                      {hold.period
                        ? ` — ${hold.anchor ? t('console.plan.holdPeriod', { period: hold.period, anchor: hold.anchor }) : t('console.plan.holdPeriodOnly', { period: hold.period })}`
                        : ''}
                    </Text>
                  </Alert>
                ))}
                {collection.removedByCascade && (
                  <Text size="xs" mt={4}>
                    {t('console.plan.cascade', { via: collection.removedByCascade })}
                  </Text>
                )}
                {collection.note && (
                  <Text size="xs" mt={4}>
                    {collection.note}
                  </Text>
                )}
              </Paper>
            ))}
          </Stack>
        </section>
      ))}
      {plan.systems.length === 0 && <Text>{t('console.plan.nothing')}</Text>}
      {plan.unreached.length > 0 && (
        <div className="table-scroll">
          <Table>
            <Table.Caption>{t('console.plan.unreached')}</Table.Caption>
            <Table.Tbody>
              {plan.unreached.map((u) => (
                <Table.Tr key={`${u.system}.${u.collection}`}>
                  <Table.Td className="mono">{`${u.system}.${u.collection}`}</Table.Td>
                  <Table.Td>{u.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {plan.notes.length > 0 && (
        <List size="sm">
          {plan.notes.map((note) => (
            <List.Item key={note}>{note}</List.Item>
          ))}
        </List>
      )}
      {plan.estimateErrors.map((error) => (
        <Alert key={error.system} color="orange" variant="light">
          {t('console.plan.estimateFailed', { system: error.system, message: error.message })}
        </Alert>
      ))}
    </Stack>
  );
}
