/**
 * Demo data of the stand-in: one organization ("Hogflix") with a production and a staging
 * project, users, personal API keys, hog functions of every type, group types and groups.
 * Everything is deterministic (fixed ids and timestamps, seeded PRNG) so tests can rely on it.
 *
 * Demo personal API keys (deliberately not shaped like real `phx_` keys, so secret scanners stay
 * quiet). Send them as `Authorization: Bearer <key>`:
 *   phx_demo_full_access        scopes ["*"]                           every project
 *   phx_demo_legacy_key         scopes [] (legacy key: allowed all)    every project
 *   phx_demo_read_only          only :read scopes                      every project
 *   phx_demo_no_groups          hog_function:write, no group scopes    every project
 *   phx_demo_project_two_only   scopes ["*"]                           scoped_teams [2]
 *   phx_demo_extension          exactly what the extension asks for   every project
 */
import { generateExtraFunctions, seedHogFunctions } from './seedFunctions';
import { generateOrganizations, seedGroupData } from './seedGroups';
import { pausedBatchExport } from './store';
import { seedTemplates } from './templates';
import { DEMO_KEYS, DEMO_ORGANIZATION_ID, DEMO_PROJECTS, DEMO_USERS } from './ids';
import type { ApiKeyRecord, OrganizationRecord, ProjectRecord, StandInState, UserRecord } from './types';

export * from './ids';
export { TEMPLATE_IDS } from './templates';

function users(): UserRecord[] {
  return [
    { id: 1, uuid: '0199a7c0-0000-7000-8000-00000000b001', distinct_id: 'max-hedgehog-distinct-id', first_name: 'Max', last_name: 'Hedgehog', email: 'max@hogflix.com' },
    { id: 2, uuid: '0199a7c0-0000-7000-8000-00000000b002', distinct_id: 'lottie-coder-distinct-id', first_name: 'Lottie', last_name: 'Coder', email: 'lottie@hogflix.com' },
    { id: 3, uuid: '0199a7c0-0000-7000-8000-00000000b003', distinct_id: 'ben-writer-distinct-id', first_name: 'Ben', last_name: 'Writer', email: 'ben@hogflix.com' },
  ];
}

function organization(): OrganizationRecord {
  return { id: DEMO_ORGANIZATION_ID, name: 'Hogflix', slug: 'hogflix', created_at: '2024-03-01T09:00:00.000000Z' };
}

function projects(): ProjectRecord[] {
  return [
    {
      id: 1,
      uuid: '0199a7c0-0000-7000-8000-00000000c001',
      organization: DEMO_ORGANIZATION_ID,
      name: 'Hogflix Production',
      api_token: 'phc_demo_hogflix_production',
      timezone: 'UTC',
      created_at: '2024-03-01T09:05:00.000000Z',
    },
    {
      id: 2,
      uuid: '0199a7c0-0000-7000-8000-00000000c002',
      organization: DEMO_ORGANIZATION_ID,
      name: 'Hogflix Staging',
      api_token: 'phc_demo_hogflix_staging',
      timezone: 'Europe/Berlin',
      created_at: '2024-05-12T14:30:00.000000Z',
    },
  ];
}

const READ_SCOPES = ['hog_function:read', 'group:read', 'user:read', 'project:read', 'organization:read'];

function key(value: string, label: string, scopes: string[], scopedTeams: number[] = []): ApiKeyRecord {
  return {
    id: `0199a7c0-0000-7000-8000-${Buffer.from(value).toString('hex').slice(-12)}`,
    label,
    value,
    scopes,
    scoped_teams: scopedTeams,
    scoped_organizations: [],
    user_id: DEMO_USERS.max,
    created_at: '2026-08-15T08:00:00.000000Z',
    last_used_at: null,
  };
}

export function seedKeys(): ApiKeyRecord[] {
  return [
    key(DEMO_KEYS.fullAccess, 'Demo: full access', ['*']),
    key(DEMO_KEYS.legacy, 'Demo: legacy key (no scopes)', []),
    key(DEMO_KEYS.readOnly, 'Demo: read only', READ_SCOPES),
    key(DEMO_KEYS.noGroups, 'Demo: no group scopes', ['hog_function:write', 'user:read', 'project:read', 'organization:read']),
    key(DEMO_KEYS.projectTwoOnly, 'Demo: project 2 only', ['*'], [2]),
    key(DEMO_KEYS.extension, 'Demo: VS Code extension', ['hog_function:write', 'group:write', 'user:read', 'project:read', 'organization:read']),
  ];
}

export interface SeedOptions {
  seed?: 'demo' | 'empty';
  extraFunctions?: number;
  /** Adds a group type "organizations" (index 3) with N groups org-1 (newest) … org-N (oldest) to project 1. */
  extraGroups?: number;
}

/**
 * Builds a fresh state. `empty` keeps the organization, projects, users, keys and templates
 * (needed to authenticate at all) but no functions or groups.
 */
export function createSeedState(opts: SeedOptions = {}): StandInState {
  const demo = (opts.seed ?? 'demo') === 'demo';
  const state: StandInState = {
    organization: organization(),
    users: new Map(users().map((u) => [u.id, u])),
    projects: new Map(projects().map((p) => [p.id, p])),
    keys: new Map(seedKeys().map((k) => [k.value, k])),
    hogFunctions: new Map(),
    templates: new Map(seedTemplates().map((t) => [t.id, t])),
    groupTypes: new Map([
      [1, []],
      [2, []],
    ]),
    groups: new Map([
      [1, []],
      [2, []],
    ]),
    groupLinks: new Map([
      [1, []],
      [2, []],
    ]),
    logs: new Map(),
    batchExports: new Map(),
    revisions: new Map(),
    notebooksCreated: [],
    revision: 0,
    nextSerial: 1,
  };
  if (demo) {
    for (const fn of seedHogFunctions()) state.hogFunctions.set(fn.id, fn);
    for (const [teamId, data] of seedGroupData()) {
      state.groupTypes.set(teamId, data.types);
      state.groups.set(teamId, data.groups);
      state.groupLinks.set(teamId, data.links);
    }
  }
  for (const fn of generateExtraFunctions(opts.extraFunctions ?? 0, DEMO_PROJECTS.production)) {
    state.hogFunctions.set(fn.id, fn);
  }
  if (opts.extraGroups) {
    const extra = generateOrganizations(opts.extraGroups);
    state.groupTypes.get(DEMO_PROJECTS.production)?.push(extra.type);
    state.groups.get(DEMO_PROJECTS.production)?.push(...extra.groups);
  }
  // The paused batch export behind each function seeded with backfills enabled.
  for (const fn of state.hogFunctions.values()) {
    if (fn.batch_export_id === null) continue;
    state.batchExports.set(fn.batch_export_id, pausedBatchExport(fn, fn.batch_export_id, fn.updated_at));
  }
  return state;
}
