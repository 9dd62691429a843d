import { z } from 'zod';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import type { StewardApp } from '../../../kernel/http/steward-app.ts';
import type { AuthServices } from '../auth-services.ts';
import { memberSchema, roleSchema, uuidParam } from './auth-route-schemas.ts';
import { addTenantMember, listTenantMembers, removeTenantMember, setMemberRoles } from '../users.ts';

const rolesBody = z.object({ roles: z.array(roleSchema).min(1).max(6) }).strict();
const userParams = z.object({ userId: uuidParam });

/** Staff of the actor's tenant. Granting is bounded by the granter's own permissions. */
export function registerUserRoutes(app: StewardApp, services: AuthServices): void {
  const { db } = services.database;

  app.post(
    '/users',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: 'Add a person to the tenant with roles',
        body: z.object({ email: z.email().max(320), roles: rolesBody.shape.roles }).strict(),
        response: { 201: z.object({ user: memberSchema }) },
      },
    },
    async (request, reply) => {
      const { actor } = request;
      const user = await addTenantMember(db, {
        tenantId: actor.tenantId,
        email: request.body.email,
        roles: request.body.roles,
        actor: { kind: actor.kind, id: actor.id },
        grantorPermissions: actor.permissions,
        requestId: request.id,
      });
      return reply.status(201).send({ user });
    },
  );

  app.get(
    '/users',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: "List the tenant's members",
        response: { 200: z.object({ users: z.array(memberSchema) }) },
      },
    },
    async (request) => {
      const { actor } = request;
      const users = await listTenantMembers(db, actor.tenantId);
      // Staff emails are personal data: reading them is on the record too.
      await recordAuditEvent(db, {
        tenantId: actor.tenantId,
        actor: { kind: actor.kind, id: actor.id },
        action: 'auth.users.listed',
        object: { type: 'tenant', id: actor.tenantId },
        outcome: 'success',
        requestId: request.id,
        details: { count: users.length },
      });
      return { users };
    },
  );

  app.put(
    '/users/:userId/roles',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: "Replace a member's roles",
        params: userParams,
        body: rolesBody,
        response: { 200: z.object({ user: memberSchema }) },
      },
    },
    async (request) => {
      const { actor } = request;
      const user = await setMemberRoles(db, {
        tenantId: actor.tenantId,
        userId: request.params.userId,
        roles: request.body.roles,
        actor: { kind: actor.kind, id: actor.id },
        grantorPermissions: actor.permissions,
        requestId: request.id,
      });
      return { user };
    },
  );

  app.delete(
    '/users/:userId',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: 'Remove a member from the tenant',
        params: userParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { actor } = request;
      await removeTenantMember(db, {
        tenantId: actor.tenantId,
        userId: request.params.userId,
        actor: { kind: actor.kind, id: actor.id },
        grantorPermissions: actor.permissions,
        requestId: request.id,
      });
      return reply.status(204).send(null);
    },
  );
}
