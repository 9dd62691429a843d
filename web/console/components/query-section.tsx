import { Stack, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { Loading } from '../../shared/components/loading.tsx';

/**
 * A titled part of a page showing one query's list: loading, then the error, a sentence when the
 * list is empty, or its table (scrolling sideways on a narrow screen).
 */
export function QuerySection<Data, Item>({
  title,
  query,
  items,
  empty,
  children,
}: {
  title: string;
  query: UseQueryResult<Data>;
  /** The list inside the query's answer. */
  items: (data: Data) => Item[];
  empty: string;
  children: (items: Item[]) => ReactNode;
}) {
  const list = query.data === undefined ? undefined : items(query.data);
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {title}
      </Title>
      {query.isPending && <Loading />}
      {query.isError && <ErrorNotice error={query.error} />}
      {list?.length === 0 && <Text>{empty}</Text>}
      {list && list.length > 0 && <div className="table-scroll">{children(list)}</div>}
    </Stack>
  );
}
