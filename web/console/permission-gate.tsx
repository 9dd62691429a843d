import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession, type Permission } from './session.tsx';

/** A page's content for roles that may see it; others are told which permission it needs. */
export function PermissionGate({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  if (!session.can(permission)) {
    return (
      <Alert color="orange" variant="light" role="alert" title={t('console.forbidden.title')}>
        {t('console.forbidden.text', { permission })}
      </Alert>
    );
  }
  return children;
}
