/**
 * Seeded hog functions (demo) and the generator of extra functions (benchmarks).
 * Built through the same parser-free normalisation the server applies after validation, so the
 * stored shape (bytecode, order, split secrets, filter bytecode) matches written functions.
 */
import { filtersBytecode, functionBytecode } from './bytecode';
import { DEMO_IDS, DEMO_PROJECTS, DEMO_SECRETS, DEMO_USERS } from './ids';
import { normalizeFilters, normalizeMasking } from './filters';
import * as src from './hogSources';
import { compileInputs, JAVASCRIPT_TYPES, splitSecretInputs, validateInputsSchema } from './inputs';
import { HUBSPOT_SCHEMA, NOTIFICATION_BAR_SCHEMA, SLACK_SCHEMA, STRIPE_WEBHOOK_SCHEMA, TEMPLATE_IDS, WEBHOOK_SCHEMA } from './templates';
import type { HogFunctionMapping, InputSchemaItem, JsonObject, StoredHogFunction, StoredInput } from './types';

interface SeedDef {
  id: string;
  team_id?: number;
  type: string;
  name: string;
  description?: string;
  hog: string;
  transpiled?: string;
  enabled: boolean;
  deleted?: boolean;
  created_by_id?: number | null;
  created_at: string;
  updated_at: string;
  inputs_schema?: InputSchemaItem[];
  /** Plain values by key; secret ones are moved to encrypted_inputs. */
  values?: Record<string, unknown>;
  filters?: JsonObject;
  masking?: JsonObject;
  mappings?: HogFunctionMapping[];
  template_id?: string | null;
  icon_url?: string | null;
  execution_order?: number | null;
  state?: number;
  batch_export_id?: string;
  version?: number;
}

function inputsOf(values: Record<string, unknown>): Record<string, StoredInput> {
  return Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value }]));
}

function build(def: SeedDef): StoredHogFunction {
  // The same normalisation as a validated write, so a GET → PATCH round trip changes nothing.
  const schema = validateInputsSchema(structuredClone(def.inputs_schema ?? []), 'inputs_schema');
  const compiled = compileInputs(schema, inputsOf(structuredClone(def.values ?? {})), def.type);
  const split = splitSecretInputs(schema, compiled);
  const mappings = def.mappings
    ? def.mappings.map((m) => {
        const mappingSchema = validateInputsSchema(structuredClone(m.inputs_schema ?? []), 'mappings');
        return {
          ...m,
          inputs_schema: mappingSchema,
          inputs: compileInputs(mappingSchema, structuredClone(m.inputs ?? {}), def.type),
          filters: normalizeFilters(structuredClone(m.filters ?? {}), { type: def.type, enabled: false, hasMappings: false }),
        };
      })
    : null;
  const isSite = JAVASCRIPT_TYPES.has(def.type);
  return {
    id: def.id,
    team_id: def.team_id ?? DEMO_PROJECTS.production,
    type: def.type,
    name: def.name,
    description: def.description ?? '',
    created_at: def.created_at,
    created_by_id: def.created_by_id === undefined ? DEMO_USERS.max : def.created_by_id,
    updated_at: def.updated_at,
    enabled: def.enabled,
    deleted: def.deleted ?? false,
    hog: def.hog,
    bytecode: isSite ? null : functionBytecode(def.hog),
    transpiled: isSite ? (def.transpiled ?? null) : null,
    inputs_schema: schema,
    inputs: split.inputs,
    encrypted_inputs: split.encrypted_inputs,
    filters: normalizeFilters(structuredClone(def.filters ?? {}), { type: def.type, enabled: false, hasMappings: mappings !== null }),
    masking: def.masking ? normalizeMasking(def.masking) : null,
    mappings,
    icon_url: def.icon_url ?? null,
    template_id: def.template_id ?? null,
    execution_order: def.execution_order ?? null,
    status: { state: def.state ?? 1, tokens: def.state === 2 ? 2500 : 10000 },
    batch_export_id: def.batch_export_id ?? null,
    version: def.version ?? 1,
  };
}

const pageviewFilter = (events: string[]): JsonObject => ({
  source: 'events',
  events: events.map((id, order) => ({ id, name: id, type: 'events', order })),
  filter_test_accounts: true,
});

const GA_SCHEMA: InputSchemaItem[] = [
  { key: 'customer_id', type: 'string', label: 'Ads customer id', required: true },
  { key: 'gclid', type: 'string', label: 'Click id', required: false, default: '{person.properties.gclid}' },
];

const MAPPING_SCHEMA: InputSchemaItem[] = [
  { key: 'conversion_action', type: 'string', label: 'Conversion action', required: true },
  { key: 'value', type: 'string', label: 'Value', required: false },
];

const BASE = { created_at: '2026-07-01T09:00:00.000000Z' };

function productionDefs(): SeedDef[] {
  return [
    {
      ...BASE,
      id: DEMO_IDS.webhookDestination,
      type: 'destination',
      name: 'Orders API webhook',
      description: 'Posts completed orders to the internal orders service.',
      hog: src.WEBHOOK_HOG,
      enabled: true,
      updated_at: '2026-09-01T10:00:00.123456Z',
      template_id: TEMPLATE_IDS.webhook,
      icon_url: '/static/posthog-icon.svg',
      inputs_schema: WEBHOOK_SCHEMA,
      filters: pageviewFilter(['order_completed', 'order_refunded']),
      values: {
        url: 'https://orders.hogflix.example/hooks/posthog',
        method: 'POST',
        body: { event: '{event}', person: '{person}', order_id: '{event.properties.order_id}' },
        headers: { 'Content-Type': 'application/json', Authorization: DEMO_SECRETS.webhookAuthorization },
        debug: false,
      },
      version: 4,
    },
    {
      ...BASE,
      id: DEMO_IDS.slackDestination,
      type: 'destination',
      name: 'Slack: new signups',
      description: 'Announces new sign-ups in #growth.',
      hog: src.SLACK_HOG,
      enabled: true,
      created_by_id: DEMO_USERS.lottie,
      updated_at: '2026-09-02T11:30:00.654321Z',
      template_id: TEMPLATE_IDS.slack,
      icon_url: '/static/services/slack.png',
      inputs_schema: SLACK_SCHEMA,
      filters: pageviewFilter(['user signed up']),
      values: {
        slack_webhook_url: 'https://hooks.slack.example/services/T0000/B0000/demo',
        text: '*{person.name}* just signed up from {event.properties.$geoip_country_name}',
      },
    },
    {
      ...BASE,
      id: DEMO_IDS.hubspotDestination,
      type: 'destination',
      name: 'HubSpot: sync persons',
      description: 'Keeps HubSpot contacts in sync with person properties.',
      hog: src.HUBSPOT_HOG,
      enabled: true,
      updated_at: '2026-09-03T08:15:00.000001Z',
      template_id: TEMPLATE_IDS.hubspot,
      icon_url: '/static/services/hubspot.png',
      inputs_schema: HUBSPOT_SCHEMA,
      filters: { source: 'person-updates' },
      values: {
        access_token: DEMO_SECRETS.hubspotAccessToken,
        email: '{person.properties.email}',
        properties: { firstname: '{person.properties.first_name}', lastname: '{person.properties.last_name}' },
      },
    },
    {
      ...BASE,
      id: DEMO_IDS.backfillsEnabledDestination,
      type: 'destination',
      name: 'Warehouse relay (backfills on)',
      description: 'Relays raw events to the warehouse loader; history is backfilled.',
      hog: src.RELAY_HOG,
      enabled: true,
      updated_at: '2026-09-04T16:45:10.100200Z',
      created_by_id: DEMO_USERS.ben,
      inputs_schema: [
        { key: 'endpoint', type: 'string', label: 'Loader endpoint', required: true },
        { key: 'api_key', type: 'string', label: 'API key', required: true, secret: true },
      ],
      values: { endpoint: 'https://loader.hogflix.example/v1/events', api_key: DEMO_SECRETS.relayApiKey },
      filters: pageviewFilter(['$pageview', '$autocapture']),
      batch_export_id: '0199a7c2-0000-7000-8000-000000000104',
    },
    {
      ...BASE,
      id: DEMO_IDS.disabledDestination,
      type: 'destination',
      name: 'Legacy CRM webhook (disabled)',
      hog: src.WEBHOOK_HOG,
      enabled: false,
      updated_at: '2026-08-20T12:00:00.000000Z',
      template_id: TEMPLATE_IDS.webhook,
      inputs_schema: WEBHOOK_SCHEMA,
      filters: pageviewFilter(['$identify']),
      state: 0,
      values: { url: 'https://crm-legacy.hogflix.example/ingest', method: 'PUT', body: { event: '{event}' } },
    },
    {
      ...BASE,
      id: DEMO_IDS.degradedDestination,
      type: 'destination',
      name: 'Ads conversions',
      description: 'Sends purchases and trials as ad conversions (one mapping each).',
      hog: src.ADS_CONVERSIONS_HOG,
      enabled: true,
      updated_at: '2026-09-05T07:07:07.070707Z',
      state: 2,
      created_by_id: DEMO_USERS.lottie,
      inputs_schema: GA_SCHEMA,
      values: { customer_id: '123-456-7890', gclid: '{person.properties.gclid}' },
      masking: { ttl: 3600, threshold: null, hash: '{person.id}' },
      mappings: [
        {
          name: 'Purchase',
          inputs_schema: MAPPING_SCHEMA,
          inputs: { conversion_action: { value: 'purchase' }, value: { value: '{event.properties.revenue}' } },
          filters: pageviewFilter(['purchase']),
        },
        { name: 'Trial started', inputs_schema: MAPPING_SCHEMA, inputs: { conversion_action: { value: 'trial' } }, filters: pageviewFilter(['trial started']) },
      ],
    },
    {
      ...BASE,
      id: DEMO_IDS.geoipTransformation,
      type: 'transformation',
      name: 'GeoIP',
      description: 'Adds geoip data to the event',
      hog: src.GEOIP_HOG,
      enabled: true,
      updated_at: '2026-08-30T09:09:09.900000Z',
      template_id: TEMPLATE_IDS.geoip,
      icon_url: '/static/transformations/geoip.png',
      execution_order: 1,
    },
    {
      ...BASE,
      id: DEMO_IDS.piiTransformation,
      type: 'transformation',
      name: 'Hash PII properties',
      description: 'Hashes e-mail and phone before any destination sees them.',
      hog: src.PII_HASH_HOG,
      enabled: true,
      updated_at: '2026-08-31T18:00:00.000500Z',
      execution_order: 2,
      created_by_id: DEMO_USERS.ben,
      inputs_schema: [
        { key: 'salt', type: 'string', label: 'Salt', required: true, secret: false },
        { key: 'propertiesToHash', type: 'json', label: 'Properties to hash', required: true, templating: false },
        { key: 'dropIp', type: 'boolean', label: 'Drop $ip', required: false, default: false },
      ],
      values: { salt: 'hogflix-demo-salt', propertiesToHash: ['$email', 'phone'], dropIp: true },
    },
    {
      ...BASE,
      id: DEMO_IDS.siteApp,
      type: 'site_app',
      name: 'Notification bar',
      hog: src.NOTIFICATION_BAR_TS,
      transpiled: src.NOTIFICATION_BAR_JS,
      enabled: true,
      updated_at: '2026-08-25T10:10:10.101010Z',
      template_id: TEMPLATE_IDS.notificationBar,
      inputs_schema: NOTIFICATION_BAR_SCHEMA,
      values: { message: 'Season 2 of Hogs of War is out now!', link: 'https://hogflix.example/hogs-of-war', backgroundColor: '#f54e00' },
    },
    {
      ...BASE,
      id: DEMO_IDS.siteDestination,
      type: 'site_destination',
      name: 'Ads pixel (site)',
      hog: src.ADS_PIXEL_SITE_TS,
      transpiled: src.ADS_PIXEL_SITE_JS,
      enabled: false,
      updated_at: '2026-08-26T11:11:11.111111Z',
      state: 0,
      inputs_schema: [
        { key: 'conversionId', type: 'string', label: 'Conversion id', required: true },
        { key: 'conversionLabel', type: 'string', label: 'Conversion label', required: true },
      ],
      values: { conversionId: 'AW-123456789', conversionLabel: 'signup' },
      filters: pageviewFilter(['user signed up']),
    },
    {
      ...BASE,
      id: DEMO_IDS.sourceWebhook,
      type: 'source_webhook',
      name: 'Stripe webhook receiver',
      hog: src.STRIPE_WEBHOOK_HOG,
      enabled: true,
      updated_at: '2026-08-28T13:13:13.131313Z',
      template_id: TEMPLATE_IDS.stripeWebhook,
      inputs_schema: STRIPE_WEBHOOK_SCHEMA,
      values: {},
    },
    {
      ...BASE,
      id: DEMO_IDS.internalDestination,
      type: 'internal_destination',
      name: 'Error tracking: alert on-call',
      hog: src.ERROR_ALERT_HOG,
      enabled: true,
      updated_at: '2026-08-29T14:14:14.141414Z',
      created_by_id: null,
      inputs_schema: [{ key: 'webhook_url', type: 'string', label: 'Webhook URL', required: true }],
      values: { webhook_url: 'https://hooks.slack.example/services/T0000/B0000/oncall' },
      filters: pageviewFilter(['$error_tracking_issue_created']),
    },
    {
      ...BASE,
      id: DEMO_IDS.emailCampaign,
      type: 'email_campaign',
      name: 'Welcome email campaign',
      hog: src.EMAIL_CAMPAIGN_HOG,
      enabled: false,
      updated_at: '2026-08-27T15:15:15.151515Z',
      state: 0,
      inputs_schema: [
        { key: 'from', type: 'string', label: 'From', required: true },
        { key: 'subject', type: 'string', label: 'Subject', required: true },
        { key: 'html', type: 'string', label: 'HTML body', required: true },
      ],
      values: { from: 'hello@hogflix.example', subject: 'Welcome to Hogflix, {person.properties.first_name}!', html: '<h1>Welcome!</h1>' },
    },
    {
      ...BASE,
      id: DEMO_IDS.deletedDestination,
      type: 'destination',
      name: 'Old webhook (deleted)',
      hog: src.WEBHOOK_HOG,
      enabled: false,
      deleted: true,
      updated_at: '2026-07-15T08:00:00.000000Z',
      inputs_schema: WEBHOOK_SCHEMA,
      values: { url: 'https://old.hogflix.example/hook' },
      state: 0,
    },
    {
      ...BASE,
      id: DEMO_IDS.warehouseSourceWebhook,
      type: 'warehouse_source_webhook',
      name: 'Warehouse source webhook (internal)',
      hog: "return {'httpResponse': {'status': 200}}",
      enabled: true,
      updated_at: '2026-08-01T00:00:00.000000Z',
    },
  ];
}

function stagingDefs(): SeedDef[] {
  const team_id = DEMO_PROJECTS.staging;
  return [
    {
      ...BASE,
      team_id,
      id: DEMO_IDS.stagingWebhook,
      type: 'destination',
      name: 'Orders API webhook (staging)',
      hog: src.WEBHOOK_HOG,
      enabled: true,
      updated_at: '2026-09-06T10:00:00.000001Z',
      template_id: TEMPLATE_IDS.webhook,
      inputs_schema: WEBHOOK_SCHEMA,
      filters: pageviewFilter(['order_completed']),
      values: { url: 'https://orders.staging.hogflix.example/hooks/posthog', headers: { Authorization: DEMO_SECRETS.stagingAuthorization } },
    },
    {
      ...BASE,
      team_id,
      id: DEMO_IDS.stagingTransformation,
      type: 'transformation',
      name: 'GeoIP (staging)',
      hog: src.GEOIP_HOG,
      enabled: true,
      updated_at: '2026-09-06T11:00:00.000002Z',
      template_id: TEMPLATE_IDS.geoip,
      execution_order: 1,
    },
    {
      ...BASE,
      team_id,
      id: DEMO_IDS.stagingSlackDisabled,
      type: 'destination',
      name: 'Slack: deploy notices (disabled)',
      hog: src.SLACK_HOG,
      enabled: false,
      updated_at: '2026-09-06T12:00:00.000003Z',
      inputs_schema: SLACK_SCHEMA,
      state: 0,
      values: { slack_webhook_url: 'https://hooks.slack.example/services/T0000/B0000/staging' },
    },
  ];
}

export function seedHogFunctions(): StoredHogFunction[] {
  return [...productionDefs(), ...stagingDefs()].map(build);
}

const EXTRA_HOG = `let res := fetch(inputs.url, {'method': 'POST', 'body': {'event': event.event}})
if (res.status >= 400) {
    throw Error(f'Failed: {res.status}')
}`;
const EXTRA_BYTECODE = functionBytecode(EXTRA_HOG);
const EXTRA_BASE_MS = Date.UTC(2026, 5, 1);
const dayPrefixes = new Map<number, string>();

/** One minute apart from 2026-06-01T00:01, distinct microseconds; one Date per day, not per item. */
function extraStamp(i: number): string {
  const day = Math.floor(i / 1440);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(EXTRA_BASE_MS + day * 86_400_000).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const minuteOfDay = i % 1440;
  const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
  const mm = String(minuteOfDay % 60).padStart(2, '0');
  return `${prefix}${hh}:${mm}:00.${String((i * 7) % 1_000_000).padStart(6, '0')}Z`;
}

/**
 * The id of generated function `i`: a UUIDv7-shaped id with random-looking hex, as PostHog's are (their
 * random parts hold `e123`-like runs: what a JSON parser deciding on number precision sees in a real
 * list), yet the same for the same `i` in every run. The last group is `i` times an odd constant modulo
 * 2^48, a bijection, so no two ids collide.
 */
export function generatedFunctionId(i: number): string {
  const last = (BigInt(i) * 0x5deece66dn + 0xbn) & 0xffffffffffffn;
  const mixed = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const hex = (n: number | bigint, width: number) => n.toString(16).padStart(width, '0');
  return `0199a7c3-${hex(mixed >>> 16, 4)}-7${hex(mixed & 0xfff, 3)}-${hex(8 + (i % 4), 1)}${hex((mixed >>> 4) & 0xfff, 3)}-${hex(last, 12)}`;
}

/**
 * `count` generated destinations for load tests. Built directly (no per-item normalisation) so
 * that 10,000 take a few milliseconds; each gets its own objects so later writes stay isolated.
 */
export function generateExtraFunctions(count: number, teamId: number): StoredHogFunction[] {
  const out: StoredHogFunction[] = [];
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(5, '0');
    const stamp = extraStamp(i);
    const url = `https://hooks.example.com/generated/${n}`;
    out.push({
      id: generatedFunctionId(i),
      team_id: teamId,
      type: 'destination',
      name: `Generated destination ${n}`,
      description: `Load-test function number ${i}`,
      created_at: stamp,
      created_by_id: DEMO_USERS.max,
      updated_at: stamp,
      enabled: i % 5 !== 0,
      deleted: false,
      hog: EXTRA_HOG,
      bytecode: [...EXTRA_BYTECODE],
      transpiled: null,
      inputs_schema: [{ key: 'url', type: 'string', label: 'URL', required: true, secret: false }],
      inputs: { url: { value: url, bytecode: ['_H', 1, 32, url], order: 0 } },
      encrypted_inputs: {},
      filters: { source: 'events', bytecode: filtersBytecode() },
      masking: null,
      mappings: null,
      icon_url: null,
      template_id: null,
      execution_order: null,
      status: { state: i % 5 === 0 ? 0 : 1, tokens: i % 5 === 0 ? 0 : 10000 },
      batch_export_id: null,
      version: 1,
    });
  }
  return out;
}
