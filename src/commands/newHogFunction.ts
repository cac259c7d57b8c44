import * as vscode from 'vscode';
import type { HogFunctionCreate } from '../api/client';
import type { HogFunction, HogFunctionTemplate, InputSchemaItem } from '../api/schemas';
import { functionUri } from '../fs/uri';
import type { Environment } from '../model/environment';
import { CREATABLE_TYPES, typeInfo } from '../model/hogFunctionTypes';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { accepted, pickEnvironment } from './pick';
import { orCancel } from './errorBoundary';
import { nonBlank, postHogReason, truncate } from './support';
import { errorMessage } from '../util/errorMessage';

export interface NewFunctionSpec {
  type: string;
  name: string;
  /** Start from this template (PostHog fills code, inputs schema and filters from it). */
  template?: HogFunctionTemplate;
  /** Values for the template's inputs; defaults are filled in by `createBody`. */
  inputs?: Record<string, unknown>;
}

/**
 * "PostHog: New Hog Function…": environment → type → blank or a template → name. The function is
 * always created disabled, so nothing runs before you have looked at it; its code document opens.
 */
export async function newHogFunction(s: Services, node?: Node): Promise<void> {
  const env = await pickEnvironment(s, node, 'Create the hog function in which environment?');
  const type = await pickType(node);
  const info = typeInfo(type);
  const template = await pickTemplate(s, env, type);
  const name = orCancel(
    await vscode.window.showInputBox({
      title: `Name of the new ${info.singular.toLowerCase()}`,
      prompt: 'It is created disabled; enable it when it is ready.',
      value: template?.name ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? 'Enter a name.' : v.length > 400 ? 'PostHog accepts at most 400 characters.' : undefined),
    }),
  ).trim();
  const inputs = template ? await askRequiredInputs(template) : undefined;
  const fn = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating "${name}"…` }, () =>
    createFunction(s, env, { type, name, template, inputs }),
  );
  const doc = await vscode.workspace.openTextDocument(functionUri(env, fn, 'code'));
  await vscode.window.showTextDocument(doc, { preview: false });
  void vscode.window.showInformationMessage(`Created ${info.singular.toLowerCase()} "${name}" (disabled). Edit its code and inputs, then enable it.`);
}

/** The request without the prompts: POST the function (always disabled) and show it in the tree. */
export async function createFunction(s: Services, env: Environment, spec: NewFunctionSpec): Promise<HogFunction> {
  return s.store.create(env, createBody(spec));
}

/** The POST body: `enabled: false` always; a blank function gets a minimal program for its type. */
export function createBody(spec: NewFunctionSpec): HogFunctionCreate {
  if (!spec.template) return { type: spec.type, name: spec.name, hog: blankCode(spec.type), enabled: false };
  const inputs: Record<string, unknown> = {};
  for (const item of spec.template.inputs_schema ?? []) {
    const value = spec.inputs?.[item.key] ?? item.default;
    if (value !== undefined && value !== null) inputs[item.key] = { value };
  }
  return {
    type: spec.type,
    name: spec.name,
    template_id: spec.template.id,
    enabled: false,
    ...(Object.keys(inputs).length ? { inputs } : {}),
  };
}

/** A minimal program per type that PostHog compiles, with a commented example to start from. */
export function blankCode(type: string): string {
  switch (type) {
    case 'destination':
      return [
        "// Runs for every event that matches this destination's filters.",
        '// Add inputs (e.g. "url") to the function, then send the event on, for example:',
        '//',
        '// let res := fetch(inputs.url, {',
        "//   'method': 'POST',",
        "//   'headers': {'Content-Type': 'application/json'},",
        "//   'body': {'event': event.event, 'distinct_id': event.distinct_id, 'properties': event.properties}",
        '// })',
        '// if (res.status >= 400) {',
        "//   throw Error(f'Request failed with status {res.status}')",
        '// }',
        '',
        "print('Received', event.event)",
        '',
      ].join('\n');
    case 'transformation':
      return [
        '// Runs on every incoming event before it is stored. Return the event (changed or not)',
        '// to keep it, or null to drop it.',
        'let returnEvent := event',
        "// returnEvent.properties.example := 'value'",
        'return returnEvent',
        '',
      ].join('\n');
    case 'source_webhook':
      return [
        "// Runs for every request to this source's webhook URL; `request` holds the method,",
        '// headers, query and body. Capture an event from it:',
        "if (request.method != 'POST') {",
        "  return {'httpResponse': {'status': 405, 'body': 'Method not allowed'}}",
        '}',
        '',
        'postHogCapture({',
        "  'event': 'webhook received',",
        "  'distinct_id': 'webhook',",
        "  'properties': request.body",
        '})',
        '',
      ].join('\n');
    case 'site_destination':
      return [
        "// Runs in the browser of your site's visitors, for every event posthog-js captures.",
        'export function onLoad({ inputs, posthog }) {',
        "    console.log('Site destination loaded', inputs)",
        '}',
        '',
        'export function onEvent({ inputs, posthog, event }) {',
        "    console.log('Event', event.event)",
        '}',
        '',
      ].join('\n');
    case 'site_app':
      return [
        "// Runs in the browser of your site's visitors once posthog-js has loaded.",
        'export function onLoad({ inputs, posthog }) {',
        "    console.log('Site app loaded', inputs)",
        '}',
        '',
      ].join('\n');
    default:
      return typeInfo(type).codeLanguage === 'typescript' ? 'export function onLoad() {}\n' : "print('Hello from Hog')\n";
  }
}

async function pickType(node: Node | undefined): Promise<string> {
  if (node?.kind === 'type' && CREATABLE_TYPES.includes(node.info.type)) return node.info.type;
  const picked = await vscode.window.showQuickPick(
    CREATABLE_TYPES.map((type) => ({
      label: typeInfo(type).singular,
      description: typeInfo(type).codeLanguage === 'typescript' ? 'TypeScript' : 'Hog',
      detail: TYPE_DETAILS[type],
      type,
    })),
    { title: 'New hog function: which type?', ignoreFocusOut: true },
  );
  return orCancel(picked).type;
}

const TYPE_DETAILS: Partial<Record<string, string>> = {
  destination: 'Sends matching events to another service (runs on PostHog’s servers).',
  transformation: 'Changes or drops events before they are stored.',
  site_destination: 'Sends events from your site’s visitors’ browsers.',
  site_app: 'Runs code on your website (banners, widgets…).',
  source_webhook: 'Receives webhooks and captures events from them.',
};

type TemplateItem = vscode.QuickPickItem & { template?: HogFunctionTemplate };

/** "Blank" or one of PostHog's templates of the type; undefined = blank. */
async function pickTemplate(s: Services, env: Environment, type: string): Promise<HogFunctionTemplate | undefined> {
  const blank: TemplateItem = {
    label: 'Blank',
    description: `a minimal ${typeInfo(type).codeLanguage === 'typescript' ? 'TypeScript' : 'Hog'} program`,
    iconPath: new vscode.ThemeIcon('file'),
  };
  const qp = vscode.window.createQuickPick<TemplateItem>();
  qp.title = `New ${typeInfo(type).singular.toLowerCase()}: start from`;
  qp.placeholder = 'Blank, or a PostHog template';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.ignoreFocusOut = true;
  qp.items = [blank];
  qp.busy = true;
  qp.show();
  let closed = false;
  void s.clients
    .get(env.host)
    .listTemplates(env.projectId, type)
    .then(
      (templates) => {
        if (closed) return;
        const usable = templates.filter((t) => t.status !== 'hidden' && t.status !== 'deprecated' && (t.type ?? type) === type);
        qp.items = [
          blank,
          { label: usable.length ? 'Templates' : 'No templates for this type', kind: vscode.QuickPickItemKind.Separator },
          ...usable.map((t) => ({
            label: t.name,
            description: t.status && t.status !== 'stable' ? t.status : undefined,
            detail: t.description ? truncate(t.description, 120) : undefined,
            template: t,
          })),
        ];
      },
      (e: unknown) => {
        s.log.warn('command', `templates of ${type} could not be loaded: ${errorMessage(e)}`);
        if (!closed) qp.items = [blank, { label: `Templates could not be loaded: ${postHogReason(e)}`, kind: vscode.QuickPickItemKind.Separator }];
      },
    )
    .finally(() => {
      if (!closed) qp.busy = false;
    });
  try {
    const item = await accepted(qp, (i) => i);
    if (!item.template) return undefined;
    // The list may be the minimal form: make sure the inputs schema is there.
    return item.template.inputs_schema ? item.template : await s.clients.get(env.host).getTemplate(env.projectId, item.template.id);
  } finally {
    closed = true;
    qp.dispose();
  }
}

/** PostHog refuses a function whose required inputs are empty: ask for those without a default. */
async function askRequiredInputs(template: HogFunctionTemplate): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const required = (template.inputs_schema ?? []).filter((i) => i.required && (i.default === undefined || i.default === null || i.default === ''));
  for (const [n, item] of required.entries()) out[item.key] = await askInput(item, n + 1, required.length);
  return out;
}

async function askInput(item: InputSchemaItem, step: number, steps: number): Promise<unknown> {
  const label = nonBlank(item.label) ?? item.key;
  if (item.type === 'boolean') {
    const picked = await vscode.window.showQuickPick(['true', 'false'], { title: `${label} (required input ${step}/${steps})`, ignoreFocusOut: true });
    return orCancel(picked) === 'true';
  }
  if (item.choices?.length) {
    const picked = await vscode.window.showQuickPick(
      item.choices.map((c) => ({ label: c.label ?? String(c.value), value: c.value })),
      { title: `${label} (required input ${step}/${steps})`, ignoreFocusOut: true },
    );
    return orCancel(picked).value;
  }
  const structured = item.type === 'json' || item.type === 'dictionary';
  const text = orCancel(
    await vscode.window.showInputBox({
      title: `${label} (required input ${step}/${steps})`,
      prompt: `${item.description ? `${item.description} ` : ''}${structured ? 'Enter JSON.' : ''}${item.secret ? ' Stored as a secret.' : ''}`.trim() || undefined,
      password: item.secret === true,
      ignoreFocusOut: true,
      validateInput: (v) => {
        if (v.trim() === '') return 'This input is required.';
        if (structured) {
          try {
            JSON.parse(v);
          } catch {
            return 'Enter valid JSON.';
          }
        }
        return undefined;
      },
    }),
  );
  return structured ? (JSON.parse(text) as unknown) : text;
}
