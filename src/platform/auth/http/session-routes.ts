import { z } from 'zod';
import type { StewardApp } from '../../../kernel/http/steward-app.ts';
import type { AuthServices } from '../auth-services.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../auth-plugin.ts';
import { actorSchema } from './auth-route-schemas.ts';
import { endSession } from '../sessions.ts';

/** Who am I, and signing out. Every role holds profile:read. */
export function registerSessionRoutes(app: StewardApp, services: AuthServices): void {
  app.get(
    '/auth/me',
    {
      config: { permission: 'profile:read' },
      schema: {
        tags: ['auth'],
        operationId: 'getCurrentActor',
        summary: 'The caller as Steward sees it',
        response: { 200: z.object({ actor: actorSchema }) },
      },
    },
    async (request) => {
      const { actor } = request;
      return {
        actor: {
          kind: actor.kind,
          id: actor.id,
          tenantId: actor.tenantId,
          permissions: [...actor.permissions].sort(),
        },
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { permission: 'profile:read' },
      schema: {
        tags: ['auth'],
        operationId: 'logout',
        summary: 'End the browser session',
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const raw = request.cookies[SESSION_COOKIE];
      const unsigned = raw ? request.unsignCookie(raw) : undefined;
      if (unsigned?.valid && unsigned.value) await endSession(services.database.db, unsigned.value);
      reply.clearCookie(SESSION_COOKIE, { path: '/', secure: true });
      reply.clearCookie(CSRF_COOKIE, { path: '/', secure: true });
      return reply.status(204).send(null);
    },
  );
}
