import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { paths } from '@steward/sdk';

export type DataMap = paths['/v1/datamap']['get']['responses'][200]['content']['application/json'];

interface Edge {
  from: string;
  to: string;
  kind: 'reference' | 'recipient' | 'transfer';
  label: string;
}

/** The data map's flows: references between systems, recipients of each system, countries data goes to. */
export function graphOf(dataMap: DataMap): {
  systems: string[];
  recipients: string[];
  countries: string[];
  edges: Edge[];
} {
  const edges: Edge[] = [];
  const recipients = new Set<string>();
  const countries = new Set<string>();
  for (const system of dataMap.systems) {
    const seen = new Set<string>();
    for (const collection of system.collections) {
      for (const field of collection.fields) {
        for (const reference of field.references) {
          if (reference.target.system === system.id || seen.has(reference.target.system)) continue;
          seen.add(reference.target.system);
          edges.push({
            from: system.id,
            to: reference.target.system,
            kind: 'reference',
            label: `${collection.name}.${field.name}`,
          });
        }
      }
    }
    for (const recipient of system.recipients) {
      recipients.add(recipient.name);
      edges.push({
        from: system.id,
        to: recipient.name,
        kind: 'recipient',
        label: recipient.role ?? recipient.category ?? '',
      });
      if (recipient.country) {
        countries.add(recipient.country);
        edges.push({ from: recipient.name, to: recipient.country, kind: 'transfer', label: '' });
      }
    }
    for (const transfer of system.transfers) {
      countries.add(transfer.country);
      edges.push({
        from: transfer.recipient ?? system.id,
        to: transfer.country,
        kind: 'transfer',
        label: transfer.safeguard,
      });
    }
  }
  return {
    systems: dataMap.systems.map((s) => s.id),
    recipients: [...recipients],
    countries: [...countries],
    edges,
  };
}

const NODE_W = 170;
const NODE_H = 30;
const ROW = 46;
const COLUMNS = [20, 300, 580];

/** The graph as SVG (three columns: systems, recipients, countries), and the same as a table. */
export function DataMapGraph({ dataMap }: { dataMap: DataMap }) {
  const { t } = useTranslation();
  const graph = graphOf(dataMap);
  const columns = [graph.systems, graph.recipients, graph.countries];
  const position = new Map<string, { x: number; y: number; kind: number }>();
  columns.forEach((names, column) =>
    names.forEach((name, row) =>
      position.set(`${column}:${name}`, { x: COLUMNS[column]!, y: 20 + row * ROW, kind: column }),
    ),
  );
  const find = (name: string, kinds: number[]) =>
    kinds.map((k) => position.get(`${k}:${name}`)).find(Boolean);
  const height = 40 + Math.max(1, ...columns.map((c) => c.length)) * ROW;
  const kindClass = ['node-system', 'node-recipient', 'node-country'];
  return (
    <>
      <svg
        className="graph"
        viewBox={`0 0 ${COLUMNS[2]! + NODE_W + 20} ${height}`}
        role="img"
        aria-label={t('console.datamap.graphLabel', {
          systems: graph.systems.length,
          recipients: graph.recipients.length,
          countries: graph.countries.length,
        })}
      >
        {graph.edges.map((edge, index) => {
          const from = find(edge.from, edge.kind === 'transfer' ? [1, 0] : [0]);
          const to = find(edge.to, edge.kind === 'reference' ? [0] : edge.kind === 'recipient' ? [1] : [2]);
          if (!from || !to) return null;
          const x1 = from.x + NODE_W;
          const y1 = from.y + NODE_H / 2;
          const x2 = edge.kind === 'reference' ? to.x + NODE_W : to.x;
          const y2 = to.y + NODE_H / 2;
          const d =
            edge.kind === 'reference'
              ? `M${x1},${y1} C${x1 + 60},${y1} ${x2 + 60},${y2} ${x2},${y2}`
              : `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`;
          return (
            <path key={index} d={d} className={`edge ${edge.kind === 'transfer' ? 'edge-transfer' : ''}`} />
          );
        })}
        {columns.flatMap((names, column) =>
          names.map((name) => {
            const p = position.get(`${column}:${name}`)!;
            return (
              <g
                key={`${column}:${name}`}
                className={kindClass[column]}
                transform={`translate(${p.x},${p.y})`}
              >
                <rect width={NODE_W} height={NODE_H} rx={6} />
                <text x={10} y={19}>
                  {name.length > 24 ? `${name.slice(0, 23)}…` : name}
                </text>
              </g>
            );
          }),
        )}
      </svg>
      <div className="table-scroll">
        <Table mt="sm">
          <Table.Caption>{t('console.datamap.flows')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('console.datamap.from')}</Table.Th>
              <Table.Th>{t('console.datamap.to')}</Table.Th>
              <Table.Th>{t('console.datamap.kind')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {graph.edges.map((edge, index) => (
              <Table.Tr key={index}>
                <Table.Td>{edge.from}</Table.Td>
                <Table.Td>{edge.to}</Table.Td>
                <Table.Td>
                  {t(`console.datamap.edges.${edge.kind}`)}{' '}
                  {edge.label && (
                    <Text span size="xs">
                      ({edge.label})
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </>
  );
}
