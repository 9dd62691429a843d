import { Alert, Button, Divider, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../shared/api.ts';
import { ErrorNotice } from '../shared/components/error-notice.tsx';
import { LanguageSelect } from '../shared/components/language-select.tsx';
import { api, apiKeyStore } from './api.ts';

/**
 * Signing in: single sign-on through the configured OpenID provider (a session cookie with CSRF
 * protection), or, without one, an API key pasted once and kept in this tab only.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [key, setKey] = useState('');
  useEffect(() => {
    document.title = `${t('console.signIn.title')} – ${t('console.title')}`;
  }, [t]);
  const options = useQuery({
    queryKey: ['sign-in-options'],
    queryFn: () => unwrap(api.GET('/v1/console/sign-in-options')),
  });
  const signIn = useMutation({
    mutationFn: async () => {
      apiKeyStore.set(key.trim());
      try {
        return await unwrap(api.GET('/v1/auth/me'));
      } catch (error) {
        apiKeyStore.clear();
        throw error;
      }
    },
    onSuccess: (me) => queryClient.setQueryData(['me'], me),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  return (
    <>
      <header className="app-header">
        <span className="brand">{t('console.title')}</span>
        <LanguageSelect />
      </header>
      <main id="main" className="privacy-main">
        <Paper withBorder p="xl" maw={480} mx="auto" mt="xl">
          <Stack gap="md">
            <Title order={1} size="h2">
              {t('console.signIn.title')}
            </Title>
            {options.data?.oidc && (
              <>
                <Button component="a" href="/v1/auth/oidc/login" size="md">
                  {t('console.signIn.sso')}
                </Button>
                <Divider label={t('console.signIn.or')} labelPosition="center" />
              </>
            )}
            <form onSubmit={submit}>
              <Stack gap="sm">
                <PasswordInput
                  label={t('console.signIn.apiKey')}
                  description={t('console.signIn.apiKeyHint')}
                  value={key}
                  onChange={(event) => setKey(event.currentTarget.value)}
                  required
                  autoComplete="off"
                />
                {signIn.isError && <ErrorNotice error={signIn.error} />}
                <Button
                  type="submit"
                  variant={options.data?.oidc ? 'default' : 'filled'}
                  loading={signIn.isPending}
                >
                  {t('console.signIn.withKey')}
                </Button>
              </Stack>
            </form>
            {!options.data?.oidc && options.isSuccess && (
              <Alert color="gray" variant="light">
                <Text size="sm">{t('console.signIn.noSso')}</Text>
              </Alert>
            )}
          </Stack>
        </Paper>
      </main>
    </>
  );
}
