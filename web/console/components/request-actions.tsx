import { Button, Group, Paper, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';

type Decision = 'approve' | 'deny' | 'extend' | 'cancel';

const BEFORE_EXECUTION = new Set(['received', 'verifying', 'verified', 'awaiting_approval']);
const OPEN = new Set([...BEFORE_EXECUTION, 'in_progress']);

/**
 * The decisions a role may take on a request in its state, each with its reason: approve (with
 * dsr:approve, when awaiting approval), deny (dsr:approve, before execution), extend (dsr:write, open,
 * GDPR Art. 12(3) / CCPA §1798.130) and cancel (dsr:write, before execution). Others are not offered.
 */
export function RequestActions({ id, state, regime }: { id: string; state: string; regime: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const offered: Decision[] = [
    ...(session.can('dsr:approve') && state === 'awaiting_approval' ? (['approve'] as const) : []),
    ...(session.can('dsr:approve') && BEFORE_EXECUTION.has(state) ? (['deny'] as const) : []),
    ...(session.can('dsr:write') && OPEN.has(state) ? (['extend'] as const) : []),
    ...(session.can('dsr:write') && BEFORE_EXECUTION.has(state) ? (['cancel'] as const) : []),
  ];
  const [decision, setDecision] = useState<Decision | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [months, setMonths] = useState<number>(1);
  const path = { params: { path: { id } } };
  const decide = useMutation({
    mutationFn: async (chosen: Decision) => {
      if (chosen === 'approve')
        return unwrap(
          api.POST('/v1/requests/{id}/approve', { ...path, body: reason ? { note: reason } : {} }),
        );
      if (chosen === 'deny') return unwrap(api.POST('/v1/requests/{id}/deny', { ...path, body: { reason } }));
      if (chosen === 'extend')
        return unwrap(
          api.POST('/v1/requests/{id}/extend', {
            ...path,
            body: { reason, ...(regime === 'gdpr' ? { months } : {}) },
          }),
        );
      return unwrap(api.POST('/v1/requests/{id}/cancel', { ...path, body: reason ? { reason } : {} }));
    },
    onSuccess: async () => {
      setDecision(undefined);
      setReason('');
      await queryClient.invalidateQueries({ queryKey: ['request', id] });
      await queryClient.invalidateQueries({ queryKey: ['requests'] });
    },
  });
  if (offered.length === 0) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (decision) decide.mutate(decision);
  };
  const reasonRequired = decision === 'deny' || decision === 'extend';
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="decide-heading">
      <Stack gap="sm">
        <Text fw={600} id="decide-heading">
          {t('console.request.decide')}
        </Text>
        <Group gap="xs">
          {offered.map((option) => (
            <Button
              key={option}
              variant={decision === option ? 'filled' : 'default'}
              color={option === 'deny' || option === 'cancel' ? 'red' : undefined}
              onClick={() => setDecision(option)}
              aria-pressed={decision === option}
            >
              {t(`console.request.actions.${option}`)}
            </Button>
          ))}
        </Group>
        {decision && (
          <form onSubmit={submit}>
            <Stack gap="sm">
              <Textarea
                label={t(`console.request.reasonLabels.${decision}`)}
                description={reasonRequired ? t('console.request.reasonTold') : undefined}
                value={reason}
                onChange={(event) => setReason(event.currentTarget.value)}
                required={reasonRequired}
                minLength={reasonRequired ? 3 : undefined}
                autosize
                minRows={2}
              />
              {decision === 'extend' && regime === 'gdpr' && (
                <div>
                  <Text size="sm" fw={500} id="months-label">
                    {t('console.request.months')}
                  </Text>
                  <SegmentedControl
                    aria-labelledby="months-label"
                    value={String(months)}
                    onChange={(value) => setMonths(Number(value))}
                    data={[
                      { value: '1', label: '1' },
                      { value: '2', label: '2' },
                    ]}
                  />
                </div>
              )}
              {decide.isError && <ErrorNotice error={decide.error} />}
              <Group>
                <Button
                  type="submit"
                  loading={decide.isPending}
                  color={decision === 'deny' || decision === 'cancel' ? 'red' : undefined}
                >
                  {t(`console.request.confirm.${decision}`)}
                </Button>
                <Button variant="subtle" onClick={() => setDecision(undefined)}>
                  {t('console.request.back')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}
