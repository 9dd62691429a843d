import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { tenant } from '../api.ts';
import { privacyPath } from '../privacy-center-config.ts';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle documentTitle={t('privacy.notFound.title')} app={t('privacy.title')}>
        {t('privacy.notFound.title')}
      </PageTitle>
      <Text>
        <Anchor component={Link} to={privacyPath('/privacy', tenant)}>
          {t('privacy.notFound.home')}
        </Anchor>
      </Text>
    </>
  );
}
