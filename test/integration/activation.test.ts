// Runs inside the real extension host (code-server's Node extension host, see test/vscode-harness/).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { functionUri } from '../../src/fs/uri';
import { DEMO_IDS } from '../standin/ids';
import { env } from './helpers';

const EXTENSION_ID = 'posthog-hog-tools.posthog-hog';

interface PackageJson {
  contributes?: {
    commands?: { command: string; title: string }[];
    viewsContainers?: { activitybar?: { id: string; title: string }[] };
    views?: Record<string, { id: string; name: string }[] | undefined>;
  };
}

suite('activation', () => {
  let ext: vscode.Extension<unknown>;
  let pkg: PackageJson;

  suiteSetup(() => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not loaded`);
    ext = found;
    pkg = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'package.json'), 'utf8')) as PackageJson;
  });

  test('the extension under development is present', () => {
    assert.equal(ext.id, EXTENSION_ID);
    assert.ok(pkg.contributes, 'package.json has contributes');
  });

  test('activates', async () => {
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  test('activation loads only dist/extension.js: the language features come with the first Hog document, the handlers with the first command, the document handlers with the first posthog: document', async () => {
    await ext.activate();
    const loaded = (chunk: string): boolean => Object.keys(require.cache).includes(path.join(ext.extensionPath, 'dist', chunk));
    assert.equal(loaded('extension.js'), true);
    // Suites run in file order and this one is first: nothing has opened a Hog document or run a command.
    assert.equal(loaded('language.js'), false, 'language features not loaded at activation');
    assert.equal(loaded('commands.js'), false, 'command handlers not loaded at activation');
    assert.equal(loaded('documents.js'), false, 'document handlers not loaded at activation');
    // An empty untitled document is never dirty: nothing is left for later suites to save or close.
    const doc = await vscode.workspace.openTextDocument({ language: 'hog' });
    assert.equal(doc.languageId, 'hog');
    assert.equal(loaded('language.js'), true, 'a Hog document loads the language features');
    await vscode.commands.executeCommand('posthogHog.showLog');
    assert.equal(loaded('commands.js'), true, 'the first command loads the handlers');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    // Read, not opened: no editor is left for later suites.
    const code = await vscode.workspace.fs.readFile(functionUri(await env(), { id: DEMO_IDS.slackDestination, name: 'Slack', type: 'destination' }, 'code'));
    assert.ok(code.byteLength > 0);
    assert.equal(loaded('documents.js'), true, 'the first posthog: document loads the document handlers');
  });

  test('registers every command listed in contributes.commands', async () => {
    await ext.activate();
    const contributed = (pkg.contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('contributes the "PostHog" activity-bar container with the explorer view, and it opens', async () => {
    const containers = pkg.contributes?.viewsContainers?.activitybar ?? [];
    const container = containers.find((c) => c.title === 'PostHog');
    assert.ok(container, 'an activity-bar view container titled "PostHog"');
    const views = pkg.contributes?.views?.[container.id] ?? [];
    assert.ok(
      views.some((v) => v.id === 'posthogHog.explorer'),
      'view posthogHog.explorer in that container',
    );

    // The workbench registers an "open" command per view container and a ".focus" command per view.
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has(`workbench.view.extension.${container.id}`), `workbench.view.extension.${container.id} is registered`);
    for (const v of views) assert.ok(registered.has(`${v.id}.focus`), `${v.id}.focus is registered`);
    await vscode.commands.executeCommand(`workbench.view.extension.${container.id}`);
    await vscode.commands.executeCommand('posthogHog.explorer.focus');
  });

  test('runs against the PostHog stand-in configured by the harness', async () => {
    const standIn = process.env.POSTHOG_STANDIN_URL;
    assert.ok(standIn, 'POSTHOG_STANDIN_URL is set (scripts/test-e2e.mjs starts the stand-in)');
    assert.equal(process.env.POSTHOG_HOST, standIn);
    assert.ok(process.env.POSTHOG_PERSONAL_API_KEY, 'POSTHOG_PERSONAL_API_KEY is set');
    const res = await fetch(`${standIn}/__standin/requests`);
    assert.equal(res.status, 200, 'the stand-in control API answers from the extension host');
  });
});
