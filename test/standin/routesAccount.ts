/** Discovery endpoints: current user, organization, projects, and key introspection. */
import { notFound, paginate, type JsonResponse } from './http';
import type { ApiContext, Route } from './router';
import { serializeProject } from './serializers';
import type { ProjectRecord } from './types';

function me(ctx: ApiContext): JsonResponse {
  const { state } = ctx.core;
  const user = state.users.get(ctx.key.user_id);
  if (!user) throw notFound();
  const org = state.organization;
  const team = [...state.projects.values()].find((p) => ctx.key.scoped_teams.length === 0 || ctx.key.scoped_teams.includes(p.id));
  return {
    status: 200,
    body: {
      id: user.id,
      uuid: user.uuid,
      email: user.email,
      first_name: user.first_name,
      last_name: user.last_name,
      distinct_id: user.distinct_id,
      is_email_verified: true,
      team: team
        ? { id: team.id, project_id: team.id, uuid: team.uuid, name: team.name, organization: team.organization, api_token: team.api_token, timezone: team.timezone }
        : null,
      organization: { id: org.id, name: org.name, slug: org.slug, created_at: org.created_at, membership_level: 15 },
      organizations: [{ id: org.id, name: org.name, slug: org.slug, logo_media_id: null, membership_level: 15 }],
    },
  };
}

/** Projects the key may see (scoped keys only see their teams). */
function visibleProjects(ctx: ApiContext): ProjectRecord[] {
  const scoped = ctx.key.scoped_teams;
  return [...ctx.core.state.projects.values()].filter((p) => scoped.length === 0 || scoped.includes(p.id));
}

function currentKey(ctx: ApiContext): JsonResponse {
  const k = ctx.key;
  return {
    status: 200,
    body: {
      id: k.id,
      label: k.label,
      scopes: k.scopes,
      scoped_teams: k.scoped_teams,
      scoped_organizations: k.scoped_organizations,
      created_at: k.created_at,
      last_used_at: k.last_used_at,
      mask_value: `${k.value.slice(0, 4)}...${k.value.slice(-4)}`,
    },
  };
}

function project(ctx: ApiContext): JsonResponse {
  const p = ctx.core.state.projects.get(ctx.projectId ?? -1);
  if (!p) throw notFound();
  return { status: 200, body: serializeProject(p) };
}

const PROJECT_READ = { object: 'project', action: 'read' } as const;

export const accountRoutes: Route[] = [
  { pattern: /^\/api\/users\/@me\/$/, methods: { GET: { scope: { object: 'user', action: 'read' }, handle: me } } },
  { pattern: /^\/api\/personal_api_keys\/@current\/$/, methods: { GET: { scope: 'any', handle: currentKey } } },
  {
    pattern: /^\/api\/organizations\/(?<orgId>[^/]+)\/$/,
    methods: {
      GET: {
        scope: { object: 'organization', action: 'read' },
        handle: (ctx) => {
          const o = ctx.core.state.organization;
          return { status: 200, body: { id: o.id, name: o.name, slug: o.slug, created_at: o.created_at, membership_level: 15 } };
        },
      },
    },
  },
  {
    pattern: /^\/api\/organizations\/(?<orgId>[^/]+)\/projects\/$/,
    methods: { GET: { scope: PROJECT_READ, handle: (ctx) => ({ status: 200, body: paginate(visibleProjects(ctx), ctx, serializeProject) }) } },
  },
  {
    pattern: /^\/api\/projects\/$/,
    methods: { GET: { scope: PROJECT_READ, handle: (ctx) => ({ status: 200, body: paginate(visibleProjects(ctx), ctx, serializeProject) }) } },
  },
  { pattern: /^\/api\/(?:projects|environments)\/(?<projectId>\d+)\/$/, methods: { GET: { scope: PROJECT_READ, handle: project } } },
];
