import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/components/error-notice.tsx';
import { formatDate } from '../../shared/components/formatting.ts';
import { Loading } from '../../shared/components/loading.tsx';
import { PageTitle } from '../../shared/components/page-title.tsx';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';

const ROLES = ['owner', 'admin', 'privacy_officer', 'request_agent', 'auditor', 'developer'] as const;
type Role = (typeof ROLES)[number];

/** Who may do what: members and their roles, API keys (a new key is shown once), tenants. */
export function Page() {
  const { t } = useTranslation();
  const session = useSession();
  const title = t('console.access.title');
  const tabs = [
    {
      value: 'users',
      permission: 'users:manage' as const,
      label: t('console.access.users'),
      panel: <Users />,
    },
    {
      value: 'keys',
      permission: 'apikeys:manage' as const,
      label: t('console.access.keys'),
      panel: <ApiKeys />,
    },
    {
      value: 'tenants',
      permission: 'tenants:manage' as const,
      label: t('console.access.tenants'),
      panel: <Tenants />,
    },
  ].filter((tab) => session.can(tab.permission));
  return (
    <Stack gap="lg">
      <PageTitle documentTitle={title} app={t('console.title')}>
        {title}
      </PageTitle>
      <Tabs defaultValue={tabs[0]?.value} keepMounted={false}>
        <Tabs.List>
          {tabs.map((tab) => (
            <Tabs.Tab key={tab.value} value={tab.value}>
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((tab) => (
          <Tabs.Panel key={tab.value} value={tab.value} pt="md">
            {tab.panel}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}

const roleOptions = (t: (key: string) => string) =>
  ROLES.map((role) => ({ value: role, label: t(`console.roles.${role}`) }));

function Users() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => unwrap(api.GET('/v1/users')) });
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<Role[]>(['request_agent']);
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/users', { body: { email, roles } })),
    onSuccess: () => {
      setEmail('');
      return queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <Stack gap="md">
      {users.isPending && <Loading />}
      {users.isError && <ErrorNotice error={users.error} />}
      {users.data && (
        <div className="table-scroll">
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.access.email')}</Table.Th>
                <Table.Th>{t('console.access.roles')}</Table.Th>
                <Table.Th>{t('console.access.since')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.users.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Td>
                    {user.email}{' '}
                    {user.disabled && (
                      <Badge color="gray" variant="light" size="sm">
                        {t('console.access.disabled')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <UserRoles userId={user.id} email={user.email} roles={user.roles} />
                  </Table.Td>
                  <Table.Td>{formatDate(user.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      <Paper withBorder p="md" component="form" onSubmit={submit}>
        <Group align="flex-end">
          <TextInput
            label={t('console.access.email')}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            required
            w={280}
          />
          <MultiSelect
            label={t('console.access.roles')}
            data={roleOptions(t)}
            value={roles}
            onChange={(value) => setRoles(value as Role[])}
            required
            w={320}
          />
          <Button type="submit" loading={add.isPending}>
            {t('console.access.addUser')}
          </Button>
        </Group>
        {add.isError && <ErrorNotice error={add.error} />}
      </Paper>
    </Stack>
  );
}

/** A member's roles, changed in place; the API refuses roles the editor may not grant. */
function UserRoles({ userId, email, roles }: { userId: string; email: string; roles: Role[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<Role[]>(roles);
  const save = useMutation({
    mutationFn: () =>
      unwrap(api.PUT('/v1/users/{userId}/roles', { params: { path: { userId } }, body: { roles: chosen } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  const changed = chosen.length > 0 && [...chosen].sort().join() !== [...roles].sort().join();
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap">
        <MultiSelect
          aria-label={t('console.access.rolesOf', { email })}
          data={roleOptions(t)}
          value={chosen}
          onChange={(value) => setChosen(value as Role[])}
          w={320}
        />
        {changed && (
          <Button size="xs" onClick={() => save.mutate()} loading={save.isPending}>
            {t('console.access.saveRoles')}
          </Button>
        )}
      </Group>
      {save.isError && <ErrorNotice error={save.error} />}
    </Stack>
  );
}

function ApiKeys() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ['apikeys'], queryFn: () => unwrap(api.GET('/v1/apikeys')) });
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('request_agent');
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/apikeys', { body: { name, role } })),
    onSuccess: () => {
      setName('');
      return queryClient.invalidateQueries({ queryKey: ['apikeys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (apiKeyId: string) =>
      unwrap(api.DELETE('/v1/apikeys/{apiKeyId}', { params: { path: { apiKeyId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['apikeys'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Stack gap="md">
      {create.data && (
        <Alert color="green" variant="light" title={t('console.access.keyCreated')} role="status">
          <Text size="sm" mb="xs">
            {t('console.access.keyOnce')}
          </Text>
          <Code block data-testid="new-api-key">
            {create.data.key}
          </Code>
        </Alert>
      )}
      <Paper withBorder p="md" component="form" onSubmit={submit}>
        <Group align="flex-end">
          <TextInput
            label={t('console.access.keyName')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            w={260}
          />
          <Select
            label={t('console.access.role')}
            data={roleOptions(t)}
            value={role}
            onChange={(value) => value && setRole(value as Role)}
            allowDeselect={false}
            w={220}
          />
          <Button type="submit" loading={create.isPending}>
            {t('console.access.createKey')}
          </Button>
        </Group>
        {create.isError && <ErrorNotice error={create.error} />}
      </Paper>
      {keys.isPending && <Loading />}
      {keys.isError && <ErrorNotice error={keys.error} />}
      {revoke.isError && <ErrorNotice error={revoke.error} />}
      {keys.data && (
        <div className="table-scroll">
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.access.keyName')}</Table.Th>
                <Table.Th>{t('console.access.prefix')}</Table.Th>
                <Table.Th>{t('console.access.lastUsed')}</Table.Th>
                <Table.Th>{t('console.access.expires')}</Table.Th>
                <Table.Th>
                  <span className="visually-hidden">{t('console.access.revoke')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.data.apiKeys.map((key) => (
                <Table.Tr key={key.id}>
                  <Table.Td>{key.name}</Table.Td>
                  <Table.Td className="mono">{key.prefix}</Table.Td>
                  <Table.Td>{formatDate(key.lastUsedAt, true)}</Table.Td>
                  <Table.Td>{formatDate(key.expiresAt)}</Table.Td>
                  <Table.Td>
                    {key.revokedAt ? (
                      <Badge color="gray" variant="light">
                        {t('console.access.revoked')}
                      </Badge>
                    ) : (
                      <Button
                        size="compact-xs"
                        color="red"
                        variant="light"
                        onClick={() => revoke.mutate(key.id)}
                        aria-label={t('console.access.revokeNamed', { name: key.name })}
                      >
                        {t('console.access.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Stack>
  );
}

function Tenants() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const tenants = useQuery({ queryKey: ['tenants'], queryFn: () => unwrap(api.GET('/v1/tenants')) });
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/tenants', { body: { id, name } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tenants'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Stack gap="md">
      {tenants.isPending && <Loading />}
      {tenants.isError && <ErrorNotice error={tenants.error} />}
      {tenants.data && (
        <div className="table-scroll">
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.access.tenantId')}</Table.Th>
                <Table.Th>{t('console.access.tenantName')}</Table.Th>
                <Table.Th>{t('console.access.since')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tenants.data.tenants.map((tenant) => (
                <Table.Tr key={tenant.id}>
                  <Table.Td className="mono">{tenant.id}</Table.Td>
                  <Table.Td>{tenant.name}</Table.Td>
                  <Table.Td>{formatDate(tenant.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      <Paper withBorder p="md" component="form" onSubmit={submit}>
        <Group align="flex-end">
          <TextInput
            label={t('console.access.tenantId')}
            value={id}
            onChange={(e) => setId(e.currentTarget.value)}
            required
            pattern="[a-z0-9][a-z0-9-]{0,62}"
            w={200}
          />
          <TextInput
            label={t('console.access.tenantName')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            w={260}
          />
          <Button type="submit" loading={create.isPending}>
            {t('console.access.createTenant')}
          </Button>
        </Group>
        {create.isError && <ErrorNotice error={create.error} />}
      </Paper>
    </Stack>
  );
}
