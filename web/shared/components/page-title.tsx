import { Title } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';

/** The page's heading, also the document title (WCAG 2.4.2), after the app's name. */
export function PageTitle({
  children,
  documentTitle,
  app,
}: {
  children: ReactNode;
  documentTitle: string;
  app: string;
}) {
  useEffect(() => {
    document.title = `${documentTitle} – ${app}`;
  }, [documentTitle, app]);
  return (
    <Title order={1} size="h2" mb="md">
      {children}
    </Title>
  );
}
