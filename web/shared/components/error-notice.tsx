import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api.ts';

/** An error as people read it: what went wrong and what to do, with the code support asks for. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const detail = isApiError(error)
    ? error.detail
    : error instanceof Error
      ? t('common.errors.network')
      : t('common.errors.unknown');
  return (
    <Alert color="red" variant="light" title={title ?? t('common.errors.title')} role="alert">
      <Text size="sm">{detail}</Text>
      {isApiError(error) && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('common.errors.code', { code: error.code, status: error.status })}
        </Text>
      )}
    </Alert>
  );
}
