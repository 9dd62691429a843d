import { Button, Group, NavLink, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { isApiError } from '../shared/api.ts';
import { ErrorNotice } from '../shared/components/error-notice.tsx';
import { LanguageSelect } from '../shared/components/language-select.tsx';
import { Loading } from '../shared/components/loading.tsx';
import { currentLanguage } from '../shared/i18n.ts';
import { CONSOLE_PAGES } from './console-pages.ts';
import { SessionProvider, useMe, useSession } from './session.tsx';
import { SignInPage } from './sign-in-page.tsx';

/** Header, the menu of the pages the role may see, and the page; the sign-in page until signed in. */
export function ConsoleLayout() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.isError) {
    return isApiError(me.error, 401) ? (
      <SignInPage />
    ) : (
      <main className="privacy-main">
        <ErrorNotice error={me.error} />
      </main>
    );
  }
  return (
    <SessionProvider actor={me.data.actor}>
      <SignedInLayout />
    </SessionProvider>
  );
}

function SignedInLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const language = currentLanguage();
  const entries = CONSOLE_PAGES.filter((page) => page.menu && session.can(page.permission));
  const isActive = (path: string) => {
    const target = `/console${path ? `/${path}` : ''}`;
    return path === ''
      ? location.pathname === '/console' || location.pathname === '/console/'
      : location.pathname.startsWith(target);
  };
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="app-header">
        <Link className="brand" to="/console">
          <span>{t('console.title')}</span>
        </Link>
        <Group gap="sm">
          <Text size="sm">
            {t('console.signedInAs', {
              who: t(`console.actorKinds.${session.actor.kind}`, { defaultValue: session.actor.kind }),
              tenant: session.actor.tenantId,
            })}
          </Text>
          <LanguageSelect />
          <Button variant="default" size="xs" onClick={() => void session.signOut()}>
            {t('console.signOut')}
          </Button>
        </Group>
      </header>
      <div className="console-body">
        <nav className="console-nav" aria-label={t('console.menu')}>
          {entries.map((page) => (
            <NavLink
              key={page.path}
              component={Link}
              to={`/console${page.path ? `/${page.path}` : ''}`}
              label={page.menu![language]}
              active={isActive(page.path)}
              aria-current={isActive(page.path) ? 'page' : undefined}
            />
          ))}
        </nav>
        <main id="main" className="console-main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </>
  );
}
