import { Alert, Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { paths } from '@steward/sdk';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { localized } from '../../shared/components/localized.ts';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { api, tenant } from '../api.ts';
import { privacyPath, usePrivacyCenterConfig, type PrivacyCenterAction } from '../privacy-center-config.ts';
import { VerifyCodeForm } from './verify-code-form.tsx';

type SubmitBody = paths['/v1/requests']['post']['requestBody']['content']['application/json'];

/** One right's form: the identities the tenant asks for, then the one-time code from the email. */
export function RequestPage() {
  const { t } = useTranslation();
  const { type = '' } = useParams();
  const { data: config } = usePrivacyCenterConfig();
  const action = config?.actions.find((a) => a.type === type);
  if (!config) return null;
  if (!action) {
    return (
      <Alert color="red" variant="light" role="alert">
        {t('privacy.request.notOffered')}
      </Alert>
    );
  }
  const title = localized(action.title) ?? t(`privacy.actions.${action.type}.title`);
  return (
    <Stack gap="md">
      <PageTitle documentTitle={title} app={t('privacy.title')}>
        {title}
      </PageTitle>
      <Text>{localized(action.description) ?? t(`privacy.actions.${action.type}.description`)}</Text>
      <RequestForm action={action} />
    </Stack>
  );
}

function RequestForm({ action }: { action: PrivacyCenterAction }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const identityNames = Object.keys(action.identityInputs).sort((a, b) =>
    a === 'email' ? -1 : b === 'email' ? 1 : 0,
  );
  const [identities, setIdentities] = useState<Record<string, string>>({});
  const [corrections, setCorrections] = useState<Record<string, string>>({});
  const submit = useMutation({
    mutationFn: () => {
      const given = Object.fromEntries(Object.entries(identities).filter(([, value]) => value.trim() !== ''));
      const wanted = (action.corrections ?? [])
        .filter((c) => (corrections[c.category] ?? '').trim() !== '')
        .map((c) => ({ target: { category: c.category }, value: corrections[c.category]!.trim() }));
      const body = {
        type: action.type,
        identities: given,
        ...(wanted.length ? { corrections: wanted } : {}),
      } as SubmitBody;
      return unwrap(api.POST('/v1/requests', { body }));
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate();
  };

  if (submit.isSuccess) {
    const id = submit.data.id;
    return (
      <Paper withBorder p="lg">
        <Stack gap="md">
          <Alert color="green" variant="light" role="status" title={t('privacy.request.received')}>
            {t('privacy.request.reference', { id })}
          </Alert>
          <VerifyCodeForm
            requestId={id}
            onVerified={() => void navigate(privacyPath(`/privacy/requests/${id}?verified=1`, tenant))}
          />
        </Stack>
      </Paper>
    );
  }

  return (
    <Paper withBorder p="lg" component="form" onSubmit={onSubmit} aria-labelledby="form-heading">
      <Stack gap="md">
        <Title order={2} size="h4" id="form-heading">
          {t('privacy.request.yourDetails')}
        </Title>
        {identityNames.map((name) => (
          <TextInput
            key={name}
            label={t(`privacy.identities.${name}`, { defaultValue: name })}
            description={name === 'email' ? t('privacy.request.emailHint') : undefined}
            type={name === 'email' ? 'email' : name === 'phone' ? 'tel' : 'text'}
            autoComplete={name === 'email' ? 'email' : name === 'phone' ? 'tel' : 'off'}
            required={action.identityInputs[name] === 'required'}
            value={identities[name] ?? ''}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setIdentities((current) => ({ ...current, [name]: value }));
            }}
          />
        ))}
        {action.corrections && (
          <fieldset className="corrections">
            <legend>
              <Text fw={600}>{t('privacy.request.corrections')}</Text>
            </legend>
            <Stack gap="sm">
              {action.corrections.map((correction) => (
                <TextInput
                  key={correction.category}
                  label={localized(correction.label) ?? correction.category}
                  value={corrections[correction.category] ?? ''}
                  onChange={(event) => {
                    const value = event.currentTarget.value;
                    setCorrections((current) => ({ ...current, [correction.category]: value }));
                  }}
                />
              ))}
            </Stack>
          </fieldset>
        )}
        {submit.isError && <ErrorNotice error={submit.error} />}
        <div>
          <Button type="submit" loading={submit.isPending}>
            {t('privacy.request.submit')}
          </Button>
        </div>
      </Stack>
    </Paper>
  );
}
