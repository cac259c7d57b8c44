/** Hog function templates served by `/hog_function_templates/` (shapes as in hog_function_template.py). */
import { GEOIP_HOG, HUBSPOT_HOG, NOTIFICATION_BAR_TS, SLACK_HOG, STRIPE_WEBHOOK_HOG, WEBHOOK_HOG } from './hogSources';
import type { HogFunctionTemplate, InputSchemaItem } from './types';

export const TEMPLATE_IDS = {
  webhook: 'template-webhook',
  slack: 'template-slack',
  hubspot: 'template-hubspot',
  geoip: 'template-geoip',
  notificationBar: 'template-notification-bar',
  stripeWebhook: 'template-source-stripe-webhook',
} as const;

export const WEBHOOK_SCHEMA: InputSchemaItem[] = [
  { key: 'url', type: 'string', label: 'Webhook URL', secret: false, required: true },
  {
    key: 'method',
    type: 'choice',
    label: 'Method',
    secret: false,
    required: false,
    default: 'POST',
    choices: ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].map((m) => ({ label: m, value: m })),
  },
  {
    key: 'body',
    type: 'json',
    label: 'JSON Body',
    secret: false,
    required: false,
    default: { event: '{event}', person: '{person}' },
  },
  {
    key: 'headers',
    type: 'dictionary',
    label: 'Headers',
    secret: true,
    required: false,
    default: { 'Content-Type': 'application/json' },
  },
  { key: 'debug', type: 'boolean', label: 'Log responses', description: 'Logs the response of http calls for debugging.', secret: false, required: false, default: false },
];

export const SLACK_SCHEMA: InputSchemaItem[] = [
  {
    key: 'slack_webhook_url',
    type: 'string',
    label: 'Slack incoming webhook URL',
    description: 'Create an incoming webhook in your Slack workspace and paste its URL.',
    secret: false,
    required: true,
  },
  { key: 'text', type: 'string', label: 'Text', secret: false, required: false, default: '*{person.name}* triggered event: *{event.event}*' },
  {
    key: 'blocks',
    type: 'json',
    label: 'Blocks',
    secret: false,
    required: false,
    default: [{ type: 'section', text: { type: 'mrkdwn', text: '*{person.name}* triggered event: *{event.event}*' } }],
  },
];

export const HUBSPOT_SCHEMA: InputSchemaItem[] = [
  { key: 'access_token', type: 'string', label: 'Access token', secret: true, required: true },
  { key: 'email', type: 'string', label: 'Email of the user', secret: false, required: true, default: '{person.properties.email}' },
  {
    key: 'properties',
    type: 'dictionary',
    label: 'Property mapping',
    secret: false,
    required: false,
    default: { firstname: '{person.properties.first_name}', lastname: '{person.properties.last_name}', company: '{person.properties.company}' },
  },
];

export const GEOIP_SCHEMA: InputSchemaItem[] = [];

export const NOTIFICATION_BAR_SCHEMA: InputSchemaItem[] = [
  { key: 'message', type: 'string', label: 'Message', secret: false, required: true, default: 'Hello from Hogflix!' },
  { key: 'link', type: 'string', label: 'Link', secret: false, required: false },
  { key: 'backgroundColor', type: 'string', label: 'Background colour', secret: false, required: false, default: '#1d4aff' },
];

export const STRIPE_WEBHOOK_SCHEMA: InputSchemaItem[] = [{ key: 'signing_secret', type: 'string', label: 'Stripe signing secret', secret: true, required: false }];

function template(t: Omit<HogFunctionTemplate, 'status' | 'free' | 'masking' | 'mapping_templates'> & Partial<HogFunctionTemplate>): HogFunctionTemplate {
  return { status: 'stable', free: true, masking: null, mapping_templates: null, ...t };
}

/** Fresh template objects (the state owns them, so each reset gets its own copies). */
export function seedTemplates(): HogFunctionTemplate[] {
  return [
    template({
      id: TEMPLATE_IDS.webhook,
      name: 'HTTP Webhook',
      description: 'Sends a webhook templated by the incoming event data',
      code: WEBHOOK_HOG,
      code_language: 'hog',
      inputs_schema: WEBHOOK_SCHEMA,
      type: 'destination',
      category: ['Custom'],
      icon_url: '/static/posthog-icon.svg',
      filters: null,
    }),
    template({
      id: TEMPLATE_IDS.slack,
      name: 'Slack',
      description: 'Sends a message to a Slack channel',
      code: SLACK_HOG,
      code_language: 'hog',
      inputs_schema: SLACK_SCHEMA,
      type: 'destination',
      category: ['Customer Success'],
      icon_url: '/static/services/slack.png',
      filters: null,
    }),
    template({
      id: TEMPLATE_IDS.hubspot,
      name: 'HubSpot',
      description: 'Creates a new contact in HubSpot whenever an event is triggered.',
      code: HUBSPOT_HOG,
      code_language: 'hog',
      inputs_schema: HUBSPOT_SCHEMA,
      type: 'destination',
      category: ['CRM', 'Customer Success'],
      icon_url: '/static/services/hubspot.png',
      filters: { source: 'person-updates' },
    }),
    template({
      id: TEMPLATE_IDS.geoip,
      name: 'GeoIP',
      description: 'Adds geoip data to the event',
      code: GEOIP_HOG,
      code_language: 'hog',
      inputs_schema: GEOIP_SCHEMA,
      type: 'transformation',
      category: ['Custom'],
      icon_url: '/static/transformations/geoip.png',
      filters: null,
    }),
    template({
      id: TEMPLATE_IDS.notificationBar,
      name: 'Notification Bar',
      description: 'Show a notification bar for your users',
      code: NOTIFICATION_BAR_TS,
      code_language: 'javascript',
      inputs_schema: NOTIFICATION_BAR_SCHEMA,
      type: 'site_app',
      category: ['Custom', 'Analytics'],
      icon_url: '/static/hedgehog/list-hog.png',
      filters: null,
    }),
    template({
      id: TEMPLATE_IDS.stripeWebhook,
      name: 'Stripe webhook',
      description: 'Receive Stripe webhooks and capture them as events',
      code: STRIPE_WEBHOOK_HOG,
      code_language: 'hog',
      inputs_schema: STRIPE_WEBHOOK_SCHEMA,
      type: 'source_webhook',
      category: ['Revenue'],
      icon_url: '/static/services/stripe.png',
      status: 'beta',
      filters: null,
    }),
  ];
}
