import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';

interface CollectionReport {
  collection: string;
  about?: string;
  rowsDeleted?: number;
  rowsDeletedByCascade?: number;
  fieldsMasked?: Record<string, number>;
  rowsKept?: {
    count: number;
    ground?: string;
    article?: string;
    until?: string;
    fields?: string[];
    reason: string;
  }[];
  rows?: number;
  rowsUpdated?: number;
  fields?: string[];
}

function collectionsOf(value: unknown): CollectionReport[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const collections = (value as { collections?: unknown }).collections;
  return Array.isArray(collections) ? (collections as CollectionReport[]) : undefined;
}

/**
 * A request's result, per step: for erasures the Art. 17 answer per collection (rows deleted,
 * fields masked, rows kept and on which ground); for access the rows per collection; for
 * rectification the rows updated.
 */
export function RequestResult({ result }: { result: Record<string, unknown> }) {
  const { t } = useTranslation();
  const steps = Object.entries(result).filter(([, value]) => collectionsOf(value));
  if (steps.length === 0) return <Text size="sm">{t('console.request.noResult')}</Text>;
  return (
    <>
      {steps.map(([step, value]) => (
        <div className="table-scroll" key={step}>
          <Table striped>
            <Table.Caption>{step}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.report.collection')}</Table.Th>
                <Table.Th>{t('console.report.outcome')}</Table.Th>
                <Table.Th>{t('console.report.kept')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {collectionsOf(value)!.map((c, index) => (
                <Table.Tr key={`${c.collection}-${c.about ?? ''}-${index}`}>
                  <Table.Td className="mono">
                    {c.collection}
                    {c.about ? ` (${c.about})` : ''}
                  </Table.Td>
                  <Table.Td>{outcomeOf(c, t)}</Table.Td>
                  <Table.Td>
                    {(c.rowsKept ?? []).map((kept) => (
                      <div key={`${kept.reason}${kept.article ?? ''}`}>
                        {t('console.report.keptRows', { count: kept.count })}
                        {kept.article ? ` — ${kept.article}` : ''}: {kept.reason}
                        {kept.until ? ` (${t('console.report.until', { date: kept.until })})` : ''}
                      </div>
                    ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      ))}
    </>
  );
}

function outcomeOf(c: CollectionReport, t: TFunction): string {
  const parts: string[] = [];
  if (c.rows !== undefined) parts.push(t('console.report.rowsRead', { count: c.rows }));
  if (c.rowsDeleted) parts.push(t('console.report.deleted', { count: c.rowsDeleted }));
  if (c.rowsDeletedByCascade) parts.push(t('console.report.cascaded', { count: c.rowsDeletedByCascade }));
  for (const [field, count] of Object.entries(c.fieldsMasked ?? {}))
    parts.push(t('console.report.masked', { field, count }));
  if (c.rowsUpdated !== undefined)
    parts.push(t('console.report.updated', { count: c.rowsUpdated, fields: (c.fields ?? []).join(', ') }));
  return parts.join('; ') || '–';
}
