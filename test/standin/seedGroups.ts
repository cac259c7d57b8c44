/**
 * Seeded group analytics data: companies, teams and projects in production (with relations
 * between them), a handful of organizations in staging. Deterministic (seeded PRNG).
 */
import { DEMO_GROUPS, DEMO_PROJECTS } from './ids';
import { Prng } from './prng';
import { formatMicros } from './time';
import type { GroupLink, GroupRecord, GroupTypeRecord } from './types';

const COMPANY_STEMS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Vandelay',
  'Stark',
  'Wayne',
  'Wonka',
  'Cyberdyne',
  'Soylent',
  'Tyrell',
  'Gringotts',
  'Pied Piper',
  'Dunder Mifflin',
  'Oscorp',
  'Aperture',
  'Black Mesa',
  'Monarch',
  'Nakatomi',
  'Prestige',
  'Sirius',
  'Virtucon',
  'Zorg',
];
const COMPANY_SUFFIXES = ['Labs', 'Inc', 'Analytics', 'Cloud', 'Systems'];
const INDUSTRIES = ['Media', 'Fintech', 'E-commerce', 'Healthcare', 'Developer tools', 'Education', 'Gaming', 'Travel'];
const PLANS = ['free', 'startup', 'scale', 'enterprise'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'NL', 'CA', 'BR', 'IN', 'JP', 'AU'];
const TEAM_FUNCTIONS = ['Engineering', 'Growth', 'Marketing', 'Data', 'Support', 'Product', 'Design', 'Sales'];
const LEADS = ['Ada Park', 'Sam Rivera', 'Kim Lee', 'Noor Haddad', 'Jonas Berg', 'Priya Nair', 'Tom Okafor', 'Eva Novak'];
const PROJECT_ADJECTIVES = ['Website', 'Mobile', 'Checkout', 'Onboarding', 'Billing', 'Search', 'Recommendations', 'Data'];
const PROJECT_NOUNS = ['relaunch', 'v2', 'migration', 'experiment', 'pipeline', 'revamp', 'rollout'];
const PROJECT_STATUSES = ['active', 'active', 'active', 'paused', 'archived'];
const LANGUAGES = ['TypeScript', 'Python', 'Go', 'Kotlin', 'Swift', 'Rust'];

const START_US = BigInt(Date.UTC(2024, 0, 1)) * 1000n;
const SPAN_US = BigInt(Date.UTC(2026, 7, 31) - Date.UTC(2024, 0, 1)) * 1000n;

function timestamp(prng: Prng): string {
  const fraction = BigInt(Math.floor(prng.next() * 1_000_000_000));
  return formatMicros(START_US + (SPAN_US * fraction) / 1_000_000_000n);
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function groupType(index: number, type: string, singular: string, plural: string, created: string): GroupTypeRecord {
  return { group_type: type, group_type_index: index, name_singular: singular, name_plural: plural, detail_dashboard: null, default_columns: null, created_at: created };
}

export interface ProjectGroupData {
  types: GroupTypeRecord[];
  groups: GroupRecord[];
  links: GroupLink[];
}

function productionGroups(): ProjectGroupData {
  const prng = new Prng(20260901);
  const groups: GroupRecord[] = [];
  const links: GroupLink[] = [];
  const companies: GroupRecord[] = [];
  for (let i = 0; i < DEMO_GROUPS.companyCount; i++) {
    const name = `${COMPANY_STEMS[i % COMPANY_STEMS.length] ?? 'Acme'} ${COMPANY_SUFFIXES[Math.floor(i / COMPANY_STEMS.length)] ?? 'Labs'}`;
    const created = timestamp(prng);
    const plan = prng.pick(PLANS);
    const company: GroupRecord = {
      group_type_index: 0,
      group_key: slug(name),
      created_at: created,
      group_properties: {
        name,
        industry: prng.pick(INDUSTRIES),
        plan,
        employees: prng.int(3, 5000),
        mrr: plan === 'free' ? 0 : prng.int(50, 40000),
        country: prng.pick(COUNTRIES),
        domain: `${slug(name)}.example`,
        is_paying: plan !== 'free',
        created_at: created.slice(0, 10),
      },
    };
    companies.push(company);
  }
  const teams: GroupRecord[] = [];
  for (let i = 0; i < DEMO_GROUPS.teamCount; i++) {
    const company = companies[i % 40] ?? companies[0];
    if (!company) break;
    const fn = TEAM_FUNCTIONS[Math.floor(i / 10) % TEAM_FUNCTIONS.length] ?? 'Engineering';
    const created = timestamp(prng);
    const team: GroupRecord = {
      group_type_index: 1,
      group_key: `team-${String(i + 1).padStart(3, '0')}`,
      created_at: created,
      group_properties: {
        name: `${String(company.group_properties.name)} ${fn}`,
        company: company.group_properties.name,
        function: fn,
        size: prng.int(2, 60),
        lead: prng.pick(LEADS),
        created_at: created.slice(0, 10),
      },
    };
    teams.push(team);
    links.push({ a: ref(team), b: ref(company) });
  }
  for (let i = 0; i < DEMO_GROUPS.projectCount; i++) {
    const team = teams[i % teams.length];
    const company = companies[i % 40];
    if (!team || !company) break;
    const created = timestamp(prng);
    const project: GroupRecord = {
      group_type_index: 2,
      group_key: `proj-${(0x1000 + i * 37).toString(16)}`,
      created_at: created,
      group_properties: {
        name: `${prng.pick(PROJECT_ADJECTIVES)} ${prng.pick(PROJECT_NOUNS)}`,
        team: team.group_properties.name,
        status: prng.pick(PROJECT_STATUSES),
        stars: prng.int(0, 900),
        language: prng.pick(LANGUAGES),
        created_at: created.slice(0, 10),
      },
    };
    groups.push(project);
    links.push({ a: ref(project), b: ref(team) }, { a: ref(project), b: ref(company) });
  }
  groups.push(...companies, ...teams);
  return {
    types: [
      groupType(0, 'company', 'company', 'companies', '2024-03-01T09:10:00.000000Z'),
      groupType(1, 'team', 'team', 'teams', '2024-03-01T09:10:00.000001Z'),
      groupType(2, 'project', 'project', 'projects', '2024-06-01T12:00:00.000000Z'),
    ],
    groups,
    links,
  };
}

function ref(g: GroupRecord): GroupLink['a'] {
  return { group_type_index: g.group_type_index, group_key: g.group_key };
}

function stagingGroups(): ProjectGroupData {
  const prng = new Prng(20240512);
  const groups: GroupRecord[] = [];
  for (let i = 0; i < DEMO_GROUPS.stagingOrganizationCount; i++) {
    const name = `Staging Org ${String(i + 1).padStart(2, '0')}`;
    const created = timestamp(prng);
    groups.push({
      group_type_index: 0,
      group_key: `org-${i + 1}`,
      created_at: created,
      group_properties: { name, plan: prng.pick(PLANS), created_at: created.slice(0, 10) },
    });
  }
  return { types: [groupType(0, 'organization', 'organization', 'organizations', '2024-05-12T14:35:00.000000Z')], groups, links: [] };
}

export function seedGroupData(): Map<number, ProjectGroupData> {
  return new Map([
    [DEMO_PROJECTS.production, productionGroups()],
    [DEMO_PROJECTS.staging, stagingGroups()],
  ]);
}

/** N organizations (group type index 3): org-1 is the newest, org-N the oldest (keyset order = created_at DESC). */
export function generateOrganizations(count: number): { type: GroupTypeRecord; groups: GroupRecord[] } {
  const newest = Date.parse('2026-06-01T00:00:00Z');
  const groups: GroupRecord[] = [];
  for (let i = 1; i <= count; i++) {
    const created = new Date(newest - i * 60_000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    groups.push({
      group_type_index: 3,
      group_key: `org-${i}`,
      created_at: created,
      group_properties: { name: `Organization ${String(i).padStart(3, '0')}`, created_at: created.slice(0, 10) },
    });
  }
  return { type: groupType(3, 'organization', 'organization', 'organizations', '2026-01-01T00:00:00.000000Z'), groups };
}
