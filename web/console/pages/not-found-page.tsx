import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageTitle } from '../../shared/components/page-title.tsx';

export function Page() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle documentTitle={t('console.notFound')} app={t('console.title')}>
        {t('console.notFound')}
      </PageTitle>
      <Text>
        <Anchor component={Link} to="/console">
          {t('console.dashboard.title')}
        </Anchor>
      </Text>
    </>
  );
}
