import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { api } from '../api.ts';

/** The one-time code step: the code from the email confirms the request comes from the address's owner. */
export function VerifyCodeForm({ requestId, onVerified }: { requestId: string; onVerified: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const verify = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/v1/requests/{id}/verify', { params: { path: { id: requestId } }, body: { code } })),
    onSuccess: onVerified,
  });
  const resend = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/v1/requests/{id}/verification-code', { params: { path: { id: requestId } } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    verify.mutate();
  };
  return (
    <form onSubmit={submit} aria-labelledby="verify-heading">
      <Stack gap="sm">
        <Text id="verify-heading" fw={600}>
          {t('privacy.verify.heading')}
        </Text>
        <Text size="sm">{t('privacy.verify.explanation')}</Text>
        <TextInput
          label={t('privacy.verify.code')}
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          maxLength={20}
          w={{ base: '100%' }}
        />
        {verify.isError && <ErrorNotice error={verify.error} />}
        {resend.isError && <ErrorNotice error={resend.error} />}
        {resend.isSuccess && (
          <Alert color="blue" variant="light" role="status">
            {t('privacy.verify.resent')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={verify.isPending}>
            {t('privacy.verify.submit')}
          </Button>
          <Button variant="subtle" onClick={() => resend.mutate()} loading={resend.isPending}>
            {t('privacy.verify.resend')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
