import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';
import { Loading } from '../shared/components/loading.tsx';
import { createQueryClient } from '../shared/query-client.ts';
import { stewardTheme } from '../shared/theme.ts';
import { CONSOLE_PAGES } from './console-pages.ts';
import { ConsoleLayout } from './console-layout.tsx';
import { PermissionGate } from './permission-gate.tsx';

const queryClient = createQueryClient();

/** Every page of the registry as a route below /console, behind its permission. */
const routes: RouteObject[] = CONSOLE_PAGES.map((page) => ({
  ...(page.path === '' ? { index: true } : { path: page.path }),
  lazy: async () => {
    const { Page } = await page.load();
    return {
      Component: () => (
        <PermissionGate permission={page.permission}>
          <Page />
        </PermissionGate>
      ),
    };
  },
}));

const router = createBrowserRouter([
  {
    path: '/console',
    element: <ConsoleLayout />,
    hydrateFallbackElement: <Loading />,
    children: [
      ...routes,
      { path: '*', lazy: async () => ({ Component: (await import('./pages/not-found-page.tsx')).Page }) },
    ],
  },
]);

export function ConsoleApp() {
  return (
    <MantineProvider
      theme={stewardTheme()}
      withCssVariables={false}
      withGlobalClasses={false}
      forceColorScheme="light"
    >
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
