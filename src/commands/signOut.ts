import * as vscode from 'vscode';
import { hostLabel } from '../model/environment';
import type { Services } from './services';
import { orCancel } from './errorBoundary';

/** "PostHog: Sign Out": forgets the host's stored key and hides its environments. */
export async function signOut(s: Services): Promise<void> {
  const hosts = [...new Set(s.registry.list().map((e) => e.host))];
  const stored: string[] = [];
  for (const h of hosts) if (await s.keys.hasStored(h)) stored.push(h);
  const envHost = s.keys.envHost();
  if (stored.length === 0) {
    if (envHost) {
      await s.registry.removeHost(envHost);
      void vscode.window.showInformationMessage(`The key comes from the POSTHOG_PERSONAL_API_KEY environment variable; unset it to sign out of ${hostLabel(envHost)} for good.`);
      return;
    }
    void vscode.window.showInformationMessage('You are not signed in to PostHog.');
    return;
  }
  const host =
    stored.length === 1 && stored[0]
      ? stored[0]
      : orCancel(
          await vscode.window.showQuickPick(
            stored.map((h) => ({ label: hostLabel(h), host: h })),
            { title: 'Sign out of which PostHog?' },
          ),
        ).host;
  await s.keys.delete(host);
  s.clients.forget(host);
  await s.registry.removeHost(host);
  s.explorer.reload();
  s.log.info('auth', `Signed out of ${hostLabel(host)}`);
  void vscode.window.showInformationMessage(`Signed out of ${hostLabel(host)}. The key was removed from this editor's secret storage.`);
}
