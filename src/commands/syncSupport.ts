/**
 * Shared by Push to PostHog and Copy to Environment: applying a function described by a folder (or by
 * another environment's function) to an environment — an update of the function it names, of the
 * same-named one there, or a create — with the diff shown first, secrets asked for, and every write
 * through the store (conflicts included).
 */
import * as vscode from 'vscode';
import type { HogFunction } from '../api/schemas';
import type { Environment } from '../model/environment';
import { parseJson } from '../model/json';
import { isWriteConflict } from '../model/writeErrors';
import { createBody, planPush, secretMarkers, type LocalFunction, type PushPlan } from '../sync/folder';
import { resolvePushTarget } from '../sync/push';
import { functionLabel } from '../model/treeModel';
import { fieldList, openDiffs, snapshotFileUri } from './changeSupport';
import { orCancel, UserCancelled } from './errorBoundary';
import type { Services } from './services';

export interface ApplyOutcome {
  fn: HogFunction;
  action: 'updated' | 'created' | 'unchanged';
  /** What did not travel (copies): secrets left unset, the enabled state. */
  notCopied: string[];
}

/**
 * Applies `local` to `env`. `localUri(file)` names the folder's file when there is one (its diff then
 * shows the real file on the right), else the folder's text is shown read-only.
 */
export async function applyToEnvironment(
  s: Services,
  env: Environment,
  local: LocalFunction,
  opts: { localUri?: (file: string) => vscode.Uri; source: string },
): Promise<ApplyOutcome> {
  const client = s.clients.get(env.host);
  const target = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Comparing with ${env.name}…` }, () => resolvePushTarget(client, env, local));
  const where = env.name;
  if (target.kind === 'update') {
    return update(s, env, local, target.remote, target.plan, { base: target.base, conflict: target.conflict, localUri: opts.localUri, source: opts.source });
  }
  if (target.kind === 'same-name') {
    const name = functionLabel(target.remote);
    const changes =
      target.plan.changed.length === 0 ? 'It already holds the same configuration.' : `Updating it changes its ${fieldList(target.plan.changed)} (shown in the diff).`;
    if (target.plan.changed.length > 0) await showPlan(s, env, target.remote, target.plan, opts.localUri, `${where}: "${name}" ↔ ${opts.source}`);
    const choice = await vscode.window.showWarningMessage(
      `${where} already has a ${local.meta.type} named "${name}".`,
      { modal: true, detail: `${changes} Or create a new function next to it.` },
      'Update It',
      'Create New',
    );
    if (choice === 'Update It') {
      if (target.plan.changed.length === 0) return { fn: target.remote, action: 'unchanged', notCopied: [] };
      return update(s, env, local, target.remote, target.plan, {
        base: target.remote.updated_at,
        conflict: undefined,
        localUri: opts.localUri,
        source: opts.source,
        skipDiff: true,
      });
    }
    if (choice !== 'Create New') throw new UserCancelled();
  }
  return create(s, env, local);
}

async function showPlan(s: Services, env: Environment, remote: HogFunction, plan: PushPlan, localUri: ((file: string) => vscode.Uri) | undefined, title: string): Promise<void> {
  const pairs = plan.files.map((f) => {
    const left = snapshotFileUri(env, remote, 'in PostHog', f.file);
    s.runs.set(left, f.remote);
    let right = localUri?.(f.file);
    if (!right) {
      right = left.with({ query: 'to apply' });
      s.runs.set(right, f.local);
    }
    return { label: f.file, left, right };
  });
  await openDiffs(title, pairs);
}

async function update(
  s: Services,
  env: Environment,
  local: LocalFunction,
  remote: HogFunction,
  plan: PushPlan,
  opts: { base: string; conflict: string | undefined; localUri?: (file: string) => vscode.Uri; source: string; skipDiff?: boolean },
): Promise<ApplyOutcome> {
  const name = functionLabel(remote);
  if (plan.changed.length === 0) return { fn: remote, action: 'unchanged', notCopied: [] };
  if (!opts.skipDiff) await showPlan(s, env, remote, plan, opts.localUri, `${env.name}: "${name}" ↔ ${opts.source}`);
  let base = opts.base;
  if (opts.conflict) {
    const choice = await vscode.window.showWarningMessage(
      `"${name}" changed in PostHog since ${opts.source} was pulled.`,
      { modal: true, detail: `${opts.conflict} The diff shows PostHog's version on the left. Overwrite replaces its ${fieldList(plan.changed)} with yours.` },
      'Overwrite',
    );
    if (choice !== 'Overwrite') throw new UserCancelled();
    base = remote.updated_at;
  } else {
    const choice = await vscode.window.showInformationMessage(
      `Push to "${name}" in ${env.name}?`,
      { modal: true, detail: `This changes its ${fieldList(plan.changed)} in PostHog (the diff is open).` },
      'Push',
    );
    if (choice !== 'Push') throw new UserCancelled();
  }
  const write = (b: string): Promise<HogFunction> =>
    s.store.update(env, remote.id, {
      what: `push ${plan.changed.join(', ')} from ${opts.source}`,
      patch: plan.patch,
      base: b,
      // Content unchanged since the base (its version did not move): only metadata or PostHog's own re-saves.
      unchangedSinceBase: (r) => r.version !== undefined && r.version !== null && r.version === remote.version,
      alreadyApplied: (r) => planPush(local, r, env, { copy: false }).changed.length === 0,
    });
  let fn: HogFunction;
  try {
    fn = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Pushing to "${name}"…` }, () => write(base));
  } catch (e) {
    if (!isWriteConflict(e)) throw e;
    const choice = await vscode.window.showWarningMessage(
      `"${name}" changed in PostHog a moment ago.`,
      { modal: true, detail: 'Overwrite replaces that change with yours; cancel to pull and look first.' },
      'Overwrite',
    );
    if (choice !== 'Overwrite') throw new UserCancelled();
    fn = await write((e.remote as HogFunction).updated_at);
  }
  return { fn, action: 'updated', notCopied: [] };
}

/** A new function in `env`: disabled, secret inputs asked for one by one (empty leaves one unset). */
async function create(s: Services, env: Environment, local: LocalFunction): Promise<ApplyOutcome> {
  const secrets: Record<string, unknown> = {};
  const notCopied: string[] = [];
  const schema = local.meta.inputs_schema.filter((i): i is { key: string; type?: string; label?: string } => typeof i === 'object' && i !== null && 'key' in i);
  for (const key of secretMarkers(local.inputs)) {
    const item = schema.find((i) => i.key === key);
    const structured = item?.type === 'dictionary' || item?.type === 'json';
    const typed = await vscode.window.showInputBox({
      title: `Secret input "${item?.label ?? key}" for ${env.name}`,
      prompt: `Secrets cannot be read from PostHog, so type the value to use in ${env.name} (never shown, logged or written to a file). Leave empty to leave it unset.${structured ? ' Enter JSON, e.g. {"Authorization": "Bearer …"}.' : ''}`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => {
        if (v === '' || !structured) return undefined;
        try {
          const parsed: unknown = parseJson(v);
          return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? undefined : 'Enter a JSON object.';
        } catch {
          return 'Enter valid JSON (the value itself is not shown here).';
        }
      },
    });
    const value = orCancel(typed);
    if (value === '') notCopied.push(`secret input "${key}" (left unset: set it with PostHog: Set Secret Value…)`);
    else secrets[key] = structured ? parseJson(value) : value;
  }
  const body = createBody(local, { enabled: false, secrets: {} });
  const inputs = { ...(body.inputs ?? {}) };
  for (const [k, v] of Object.entries(secrets)) inputs[k] = { value: v };
  if (local.meta.enabled) notCopied.push('the enabled state (created disabled: test it, then enable it)');
  if (local.meta.execution_order !== null) notCopied.push('the execution order (PostHog puts it last)');
  const fn = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating "${local.meta.name}" in ${env.name}…` }, () =>
    s.store.create(env, { ...body, inputs }),
  );
  s.log.info('command', `created ${fn.id} in ${env.name} from a copy; secret inputs given: ${Object.keys(secrets).join(', ') || 'none'}`);
  return { fn, action: 'created', notCopied };
}
