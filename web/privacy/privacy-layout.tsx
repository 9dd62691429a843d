import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { ErrorNotice } from '../shared/components/error-notice.tsx';
import { LanguageSelect } from '../shared/components/language-select.tsx';
import { Loading } from '../shared/components/loading.tsx';
import { localized } from '../shared/components/localized.ts';
import { tenant } from './api.ts';
import { privacyPath, usePrivacyCenterConfig } from './privacy-center-config.ts';

/** Header with the tenant's logo and title, the page, and a footer with their privacy policy. */
export function PrivacyLayout() {
  const { t } = useTranslation();
  const config = usePrivacyCenterConfig();
  const title = localized(config.data?.title) ?? t('privacy.title');
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="app-header">
        <Link className="brand" to={privacyPath('/privacy', tenant)}>
          {config.data?.logoUrl && (
            <img src={config.data.logoUrl} alt={localized(config.data.logoAlt) ?? ''} />
          )}
          <span>{title}</span>
        </Link>
        <LanguageSelect />
      </header>
      <main id="main" className="privacy-main" tabIndex={-1}>
        {config.isPending ? <Loading /> : config.isError ? <ErrorNotice error={config.error} /> : <Outlet />}
      </main>
      <footer className="app-footer">
        {config.data?.policyUrl ? (
          <Anchor href={config.data.policyUrl} size="sm">
            {t('privacy.policy')}
          </Anchor>
        ) : (
          <span />
        )}
        <Text size="xs" c="dimmed">
          {t('privacy.poweredBy')}
        </Text>
      </footer>
    </>
  );
}
