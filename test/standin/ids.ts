/**
 * Fixed identifiers of the demo data, in their own module so the seed builders can import them
 * without a cycle through data.ts (which re-exports everything here).
 */

export const DEMO_ORGANIZATION_ID = '0199a7c0-0000-7000-8000-00000000a001';

export const DEMO_PROJECTS = { production: 1, staging: 2 } as const;

export const DEMO_USERS = { max: 1, lottie: 2, ben: 3 } as const;

/** Ids of seeded hog functions (project 1 unless the name says staging). */
export const DEMO_IDS = {
  /** destination, events source, secret `headers` (Authorization), enabled, template-webhook. */
  webhookDestination: '0199a7c1-0000-7000-8000-000000000101',
  /** destination without secrets; the URL is a plain string input (no Slack integration). */
  slackDestination: '0199a7c1-0000-7000-8000-000000000102',
  /** destination with `filters.source = "person-updates"` and a secret `access_token`. */
  hubspotDestination: '0199a7c1-0000-7000-8000-000000000103',
  /** destination whose backfills are already enabled (`batch_export_id` set). */
  backfillsEnabledDestination: '0199a7c1-0000-7000-8000-000000000104',
  /** disabled destination (events source, backfillable when enabled or not). */
  disabledDestination: '0199a7c1-0000-7000-8000-000000000105',
  /** enabled destination in status DEGRADED (state 2), with mappings. */
  degradedDestination: '0199a7c1-0000-7000-8000-000000000106',
  /** transformation, execution_order 1. */
  geoipTransformation: '0199a7c1-0000-7000-8000-000000000107',
  /** transformation, execution_order 2, with inputs. */
  piiTransformation: '0199a7c1-0000-7000-8000-000000000108',
  /** site_app in TypeScript. */
  siteApp: '0199a7c1-0000-7000-8000-000000000109',
  /** site_destination in TypeScript. */
  siteDestination: '0199a7c1-0000-7000-8000-00000000010a',
  /** source_webhook whose Hog reads `request.body`. */
  sourceWebhook: '0199a7c1-0000-7000-8000-00000000010b',
  /** internal_destination, created_by null. */
  internalDestination: '0199a7c1-0000-7000-8000-00000000010c',
  /** made-up future type `email_campaign`. */
  emailCampaign: '0199a7c1-0000-7000-8000-00000000010d',
  /** soft-deleted destination (404 until restored with `deleted: false`). */
  deletedDestination: '0199a7c1-0000-7000-8000-00000000010e',
  /** warehouse_source_webhook: never listed. */
  warehouseSourceWebhook: '0199a7c1-0000-7000-8000-00000000010f',
  stagingWebhook: '0199a7c1-0000-7000-8000-000000000201',
  stagingTransformation: '0199a7c1-0000-7000-8000-000000000202',
  stagingSlackDisabled: '0199a7c1-0000-7000-8000-000000000203',
} as const;

/** Secret values stored for the seeded functions (visible only through the control API). */
export const DEMO_SECRETS = {
  webhookAuthorization: 'Bearer demo_orders_api_token',
  hubspotAccessToken: 'demo_hubspot_private_app_token',
  relayApiKey: 'demo_relay_api_key',
  stagingAuthorization: 'Bearer demo_staging_token',
} as const;

export const DEMO_KEYS = {
  fullAccess: 'phx_demo_full_access',
  legacy: 'phx_demo_legacy_key',
  readOnly: 'phx_demo_read_only',
  noGroups: 'phx_demo_no_groups',
  projectTwoOnly: 'phx_demo_project_two_only',
  extension: 'phx_demo_extension',
} as const;

/** Group keys tests can rely on (project 1). */
export const DEMO_GROUPS = {
  /** index 0 (company): the first company; related to teams and projects. */
  firstCompanyKey: 'acme-labs',
  companyCount: 120,
  teamCount: 80,
  projectCount: 50,
  stagingOrganizationCount: 12,
} as const;

/** Number of seeded, listable (not deleted, not warehouse) functions per project. */
export const DEMO_LISTABLE_COUNTS = { production: 13, staging: 3 } as const;
