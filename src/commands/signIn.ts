import * as vscode from 'vscode';
import { PostHogClient } from '../api/client';
import { isPostHogError } from '../api/errors';
import { parseHost } from '../api/http';
import type { Me, Project } from '../api/schemas';
import { EnvVars, Hosts } from '../constants';
import { hostLabel, normaliseHost, type Environment } from '../model/environment';
import { missingScopes } from '../model/scopes';
import type { Services } from './services';
import { accepted } from './pick';
import { orCancel } from './errorBoundary';
import { errorMessage } from '../util/errorMessage';

/**
 * "PostHog: Sign In": host → personal API key (masked, validated at once) → scope check →
 * environments. The key goes to SecretStorage for that host; environments to globalState.
 */
export async function signIn(s: Services): Promise<void> {
  const host = await pickHost(s);
  const key = await askKey(host);
  const client = new PostHogClient({ host, apiKey: () => key, userAgent: s.clients.userAgent });

  const { scopes, me } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking the key with ${hostLabel(host)}…`, cancellable: true },
    async (_p, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => {
        abort.abort();
      });
      try {
        const current = await client.currentKey(abort.signal);
        const user = await client.me(abort.signal);
        return { scopes: current.scopes, me: user };
      } catch (e) {
        if (isPostHogError(e) && e.isAuth) {
          throw new Error(`${hostLabel(host)} rejected this personal API key. Check that you copied all of it and that it was not deleted, then sign in again.`);
        }
        throw e;
      }
    },
  );

  const missing = missingScopes(scopes);
  if (missing.length > 0) {
    const go = await vscode.window.showWarningMessage(
      `This key lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
      {
        modal: true,
        detail: `Without them some parts will fail with "permission denied" (e.g. saving needs hog_function:write, groups need group:read). You can add scopes to the key in PostHog → Settings → Personal API keys.`,
      },
      'Continue Anyway',
    );
    orCancel(go);
  }

  const envs = await pickEnvironments(client, me, host);
  await s.keys.set(host, key);
  s.clients.forget(host);
  await s.registry.add(envs);
  s.explorer.reload();
  s.log.info('auth', `Signed in to ${hostLabel(host)} (${envs.length} environment${envs.length === 1 ? '' : 's'})`);
  void vscode.window.showInformationMessage(`Signed in to ${hostLabel(host)}: ${envs.map((e) => e.name).join(', ')}.`);
}

export async function pickHost(s: Services): Promise<string> {
  const items: (vscode.QuickPickItem & { host?: string })[] = [
    { label: 'US Cloud', description: Hosts.us, host: Hosts.us },
    { label: 'EU Cloud', description: Hosts.eu, host: Hosts.eu },
  ];
  const envHost = process.env[EnvVars.host];
  const known = new Set<string>([Hosts.us, Hosts.eu]);
  for (const h of [envHost, ...s.registry.list().map((e) => e.host)]) {
    if (h && !known.has(normaliseHost(h))) {
      known.add(normaliseHost(h));
      items.push({ label: hostLabel(h), description: normaliseHost(h), host: normaliseHost(h) });
    }
  }
  items.push({ label: 'Self-hosted or other URL…', description: 'e.g. https://posthog.example.com' });
  const picked = orCancel(await vscode.window.showQuickPick(items, { title: 'Sign in to PostHog (1/3): host', placeHolder: 'Where is your PostHog?', ignoreFocusOut: true }));
  if (picked.host) return picked.host;
  const typed = orCancel(
    await vscode.window.showInputBox({
      title: 'Sign in to PostHog (1/3): host',
      prompt: 'URL of your PostHog instance',
      placeHolder: 'https://posthog.example.com',
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          parseHost(v);
          return undefined;
        } catch (e) {
          return errorMessage(e);
        }
      },
    }),
  );
  return normaliseHost(parseHost(typed).href);
}

async function askKey(host: string): Promise<string> {
  const key = orCancel(
    await vscode.window.showInputBox({
      title: `Sign in to PostHog (2/3): personal API key for ${hostLabel(host)}`,
      prompt: 'Create one in PostHog → Settings → Personal API keys, with hog_function:read/write and group:read/write (plus user:read and project:read to list environments).',
      placeHolder: 'phx_…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => {
        const t = v.trim();
        if (!t) return 'Paste your personal API key.';
        if (t.startsWith('phc_')) return 'That is a project API key (phc_…), used to send events. You need a personal API key (phx_…).';
        if (!t.startsWith('phx_')) return 'Personal API keys start with "phx_".';
        if (/\s/.test(t)) return 'The key must not contain spaces.';
        return undefined;
      },
    }),
  );
  return key.trim();
}

async function pickEnvironments(client: PostHogClient, me: Me, host: string): Promise<Environment[]> {
  const orgs = me.organizations.length ? me.organizations : me.organization ? [{ id: me.organization.id, name: me.organization.name }] : [];
  const projects: { project: Project; org: string }[] = [];
  for (const org of orgs) {
    try {
      for (const project of await client.projects(org.id)) projects.push({ project, org: org.name });
    } catch (e) {
      // Keys scoped to some projects or lacking project:read cannot list every organization.
      if (!(isPostHogError(e) && (e.isForbidden || e.isNotFound))) throw e;
    }
  }
  if (projects.length === 0 && me.team) projects.push({ project: { id: me.team.id, name: me.team.name ?? `Project ${me.team.id}` }, org: me.organization?.name ?? '' });
  if (projects.length === 0) throw new Error('This key cannot see any project. Give it project:read (or scope it to a project) and try again.');
  const chosen = await pickAtLeastOne(
    projects.map(({ project, org }) => ({ label: project.name, description: `${org ? `${org} · ` : ''}project ${project.id}`, picked: project.id === me.team?.id, project, org })),
    'Sign in to PostHog (3/3): environments to show',
  );
  return chosen.map(({ project, org }) => ({ host, projectId: project.id, name: project.name, organizationName: org || undefined }));
}

/** A multi-select that refuses to accept nothing: it stays open and says why. Escape cancels. */
async function pickAtLeastOne<T extends vscode.QuickPickItem>(items: T[], title: string): Promise<readonly T[]> {
  const qp = vscode.window.createQuickPick<T>();
  qp.title = title;
  qp.placeholder = 'Pick one or more';
  qp.canSelectMany = true;
  qp.ignoreFocusOut = true;
  qp.items = items;
  qp.selectedItems = items.filter((i) => i.picked);
  const chosen = accepted(qp, () => {
    if (qp.selectedItems.length > 0) return qp.selectedItems;
    qp.placeholder = 'Pick at least one environment (check it, then press Enter), or press Escape to cancel';
    return undefined;
  });
  qp.show();
  try {
    return await chosen;
  } finally {
    qp.dispose();
  }
}
