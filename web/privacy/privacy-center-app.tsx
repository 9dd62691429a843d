import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Loading } from '../shared/components/loading.tsx';
import { createQueryClient } from '../shared/query-client.ts';
import { applyThemeVariables, stewardTheme } from '../shared/theme.ts';
import { HomePage } from './pages/home-page.tsx';
import { usePrivacyCenterConfig } from './privacy-center-config.ts';
import { PrivacyLayout } from './privacy-layout.tsx';

const queryClient = createQueryClient();

/**
 * The privacy center's pages, below /privacy. The home page is in the first load; the forms come
 * with their first visit.
 */
const router = createBrowserRouter([
  {
    path: '/privacy',
    element: <PrivacyLayout />,
    hydrateFallbackElement: <Loading />,
    children: [
      { index: true, element: <HomePage /> },
      {
        path: 'request/:type',
        lazy: async () => ({ Component: (await import('./pages/request-page.tsx')).RequestPage }),
      },
      {
        path: 'requests/:id',
        lazy: async () => ({ Component: (await import('./pages/status-page.tsx')).StatusPage }),
      },
      {
        path: 'status',
        lazy: async () => ({ Component: (await import('./pages/status-page.tsx')).StatusLookupPage }),
      },
      {
        path: 'consent',
        lazy: async () => ({ Component: (await import('./pages/consent-page.tsx')).ConsentPage }),
      },
      {
        path: '*',
        lazy: async () => ({ Component: (await import('./pages/not-found-page.tsx')).NotFoundPage }),
      },
    ],
  },
]);

/** Mantine with the tenant's colour, once its settings are in (Steward's blue until then). */
function ThemedRouter() {
  const config = usePrivacyCenterConfig();
  const primary = config.data?.primaryColor;
  const theme = useMemo(() => stewardTheme(primary), [primary]);
  useEffect(() => applyThemeVariables(theme), [theme]);
  return (
    <MantineProvider
      theme={theme}
      withCssVariables={false}
      withGlobalClasses={false}
      forceColorScheme="light"
    >
      <RouterProvider router={router} />
    </MantineProvider>
  );
}

export function PrivacyCenterApp() {
  return (
    <QueryClientProvider client={queryClient}>
      <ThemedRouter />
    </QueryClientProvider>
  );
}
