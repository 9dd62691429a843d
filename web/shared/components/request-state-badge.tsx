import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const COLOURS: Record<string, string> = {
  received: 'gray',
  verifying: 'gray',
  verified: 'blue',
  awaiting_approval: 'orange',
  in_progress: 'blue',
  completed: 'green',
  partially_completed: 'orange',
  denied: 'red',
  failed: 'red',
  cancelled: 'gray',
};

/** A request's state as a coloured label, in words. */
export function RequestStateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLOURS[state] ?? 'gray'} variant="light">
      {t(`common.states.${state}`, { defaultValue: state })}
    </Badge>
  );
}
