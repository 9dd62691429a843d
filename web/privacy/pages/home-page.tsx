import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { localized } from '../../shared/components/localized.ts';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { tenant } from '../api.ts';
import { privacyPath, usePrivacyCenterConfig, type PrivacyCenterAction } from '../privacy-center-config.ts';

const CCPA_TYPES = new Set(['know', 'delete', 'correct', 'opt_out']);

/** The rights a person can exercise here, their consent choices and a request's status. */
export function HomePage() {
  const { t } = useTranslation();
  const { data: config } = usePrivacyCenterConfig();
  if (!config) return null;
  const title = localized(config.title) ?? t('privacy.title');
  return (
    <Stack gap="lg">
      <div>
        <PageTitle documentTitle={title} app={t('privacy.title')}>
          {title}
        </PageTitle>
        <Text>{localized(config.description) ?? t('privacy.home.description')}</Text>
      </div>

      <section aria-labelledby="rights-heading">
        <Title order={2} size="h3" id="rights-heading" mb="sm">
          {t('privacy.home.rights')}
        </Title>
        <div className="card-grid">
          {config.actions.map((action) => (
            <ActionCard key={action.type} action={action} />
          ))}
        </div>
      </section>

      {config.consent.enabled && config.consentNotices > 0 && (
        <section aria-labelledby="consent-heading">
          <Paper withBorder p="lg">
            <Title order={2} size="h3" id="consent-heading" mb="xs">
              {localized(config.consent.title) ?? t('privacy.home.consentTitle')}
            </Title>
            <Text mb="md">
              {localized(config.consent.description) ?? t('privacy.home.consentDescription')}
            </Text>
            <Button component={Link} to={privacyPath('/privacy/consent', tenant)}>
              {t('privacy.home.consentButton')}
            </Button>
          </Paper>
        </section>
      )}

      <Text size="sm">
        <Anchor component={Link} to={privacyPath('/privacy/status', tenant)}>
          {t('privacy.home.statusLink')}
        </Anchor>
      </Text>
    </Stack>
  );
}

function ActionCard({ action }: { action: PrivacyCenterAction }) {
  const { t } = useTranslation();
  const title = localized(action.title) ?? t(`privacy.actions.${action.type}.title`);
  return (
    <Paper withBorder p="md" component="article">
      <Stack gap="xs" h="100%" justify="space-between">
        <div>
          <Group gap="xs" mb={4} justify="space-between" wrap="nowrap">
            <Title order={3} size="h4">
              {title}
            </Title>
            {CCPA_TYPES.has(action.type) && (
              <Badge variant="light" color="gray" size="sm" className="no-shrink">
                CCPA
              </Badge>
            )}
          </Group>
          <Text size="sm">
            {localized(action.description) ?? t(`privacy.actions.${action.type}.description`)}
          </Text>
        </div>
        <Button
          variant="light"
          component={Link}
          to={privacyPath(`/privacy/request/${action.type}`, tenant)}
          aria-label={t('privacy.home.startNamed', { name: title })}
        >
          {t('privacy.home.start')}
        </Button>
      </Stack>
    </Paper>
  );
}
