/**
 * Hog functions as files (src/sync): the folder format, and the command line's pull → edit → diff → push
 * round trip in plain Node against the stand-in over real loopback HTTP.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { syncMain } from '../../src/sync/cli';
import { filesToFunction, FolderError, filesWithKeys, folderNames, planPush } from '../../src/sync/folder';
import { DEMO_IDS, DEMO_KEYS, DEMO_PROJECTS } from '../standin/data';
import { startStandIn, type StandIn } from '../standin/server';

/** Shaped like a personal API key for the refusal checks, built at run time so no key-like literal is committed. */
const KEY_SHAPED = `phx_${'0'.repeat(32)}`;

describe('functions as files: the command line against the stand-in', () => {
  let standIn: StandIn;
  let dir: string;
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ POSTHOG_PERSONAL_API_KEY: DEMO_KEYS.fullAccess, POSTHOG_HOST: standIn.url, ...extra });

  before(async () => {
    standIn = await startStandIn();
  });
  after(async () => {
    await standIn.close();
  });
  beforeEach(() => {
    standIn.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posthog-sync-'));
  });

  async function cli(args: string[], e = env()): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await syncMain(
      args,
      (s) => (out += `${s}\n`),
      (s) => (err += `${s}\n`),
      e,
    );
    return { code, out, err };
  }

  function folderOf(id: string): string {
    for (const name of fs.readdirSync(dir)) {
      const meta = path.join(dir, name, 'function.json');
      if (fs.existsSync(meta) && (JSON.parse(fs.readFileSync(meta, 'utf8')) as { id: string }).id === id) return path.join(dir, name);
    }
    throw new Error(`no folder for ${id}`);
  }

  function snapshot(): Map<string, string> {
    const files = new Map<string, string>();
    for (const name of fs.readdirSync(dir)) for (const f of fs.readdirSync(path.join(dir, name))) files.set(`${name}/${f}`, fs.readFileSync(path.join(dir, name, f), 'utf8'));
    return files;
  }

  test('pull writes a folder per function; a second pull rewrites nothing (stable formatting)', async () => {
    const first = await cli(['pull', '--out', dir], env({ POSTHOG_PROJECT_ID: String(DEMO_PROJECTS.production) }));
    assert.equal(first.code, 0, first.err);
    const webhook = folderOf(DEMO_IDS.webhookDestination);
    assert.deepEqual(fs.readdirSync(webhook).sort(), ['filters.json', 'function.hog', 'function.json', 'inputs.json']);
    assert.deepEqual((JSON.parse(fs.readFileSync(path.join(webhook, 'inputs.json'), 'utf8')) as Record<string, unknown>).headers, { secret: true });
    const meta = JSON.parse(fs.readFileSync(path.join(webhook, 'function.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(meta.environment, { host: standIn.url, project_id: DEMO_PROJECTS.production });
    assert.equal(meta.type, 'destination');
    assert.ok(fs.existsSync(path.join(folderOf(DEMO_IDS.siteApp), 'function.ts')));
    assert.ok(fs.existsSync(path.join(folderOf(DEMO_IDS.degradedDestination), 'mappings.json')));
    const before = snapshot();
    const second = await cli(['pull', '--out', dir], env({ POSTHOG_PROJECT_ID: String(DEMO_PROJECTS.production) }));
    assert.match(second.out, /\(0 files changed\)/);
    assert.deepEqual(snapshot(), before);
    // Nothing in any file looks like a key.
    assert.deepEqual(filesWithKeys(Object.fromEntries(before)), []);
  });

  test('edit → diff shows the file → push sends exactly one PATCH with only the changed field', async () => {
    await cli(['pull', '--id', DEMO_IDS.webhookDestination, '--out', dir], env({ POSTHOG_PROJECT_ID: '1' }));
    const folder = folderOf(DEMO_IDS.webhookDestination);
    assert.equal((await cli(['diff', folder])).code, 0);
    const code = path.join(folder, 'function.hog');
    fs.writeFileSync(code, `${fs.readFileSync(code, 'utf8')}\nprint('from git')\n`);
    const diff = await cli(['diff', folder]);
    assert.equal(diff.code, 1);
    assert.match(diff.out, /^\+print\('from git'\)$/m);
    assert.match(diff.out, /a\/function\.hog/);
    const seq = standIn.requests.at(-1)?.seq ?? 0;
    const push = await cli(['push', folder]);
    assert.equal(push.code, 0, push.err);
    assert.match(push.out, /pushed hog/);
    const writes = standIn.requestsSince(seq).filter((r) => r.method !== 'GET');
    assert.equal(writes.length, 1);
    const [write] = writes;
    assert.ok(write);
    assert.equal(write.method, 'PATCH');
    const body: unknown = write.body;
    assert.ok(typeof body === 'object' && body !== null);
    assert.deepEqual(Object.keys(body).sort(), ['base_updated_at', 'hog']);
    assert.match(standIn.state.hogFunctions.get(DEMO_IDS.webhookDestination)?.hog ?? '', /from git/);
    // function.json now records the pushed version: the next diff is clean and the next push a no-op.
    assert.equal((await cli(['diff', folder])).code, 0);
    assert.match((await cli(['push', folder])).out, /up to date/);
  });

  test('a change in PostHog since the pull is a conflict; --force overwrites it', async () => {
    await cli(['pull', '--id', DEMO_IDS.slackDestination, '--out', dir], env({ POSTHOG_PROJECT_ID: '1' }));
    const folder = folderOf(DEMO_IDS.slackDestination);
    const id = DEMO_IDS.slackDestination;
    const fn = standIn.state.hogFunctions.get(id);
    assert.ok(fn);
    await fetch(`${standIn.url}/__standin/hog_functions/${id}/remote_edit`, { method: 'POST', body: JSON.stringify({ hog: "print('colleague')" }) });
    fs.writeFileSync(path.join(folder, 'function.hog'), "print('mine')\n");
    const refused = await cli(['push', folder]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /changed in PostHog since these files were pulled \(version \d+ → \d+\)/);
    assert.match(standIn.state.hogFunctions.get(id)?.hog ?? '', /colleague/);
    const forced = await cli(['push', '--force', folder]);
    assert.equal(forced.code, 0, forced.err);
    assert.equal(standIn.state.hogFunctions.get(id)?.hog, "print('mine')");
  });

  test('a metadata-only change in PostHog (same version) does not block a push', async () => {
    await cli(['pull', '--id', DEMO_IDS.slackDestination, '--out', dir], env({ POSTHOG_PROJECT_ID: '1' }));
    const folder = folderOf(DEMO_IDS.slackDestination);
    await fetch(`${standIn.url}/__standin/hog_functions/${DEMO_IDS.slackDestination}/remote_edit`, {
      method: 'POST',
      body: JSON.stringify({ description: 'edited in the web app' }),
    });
    fs.writeFileSync(path.join(folder, 'filters.json'), `${JSON.stringify({ events: [{ id: '$pageview', type: 'events' }] }, null, 2)}\n`);
    const push = await cli(['push', folder]);
    assert.equal(push.code, 0, push.err);
    // The description from PostHog differs from the folder's: the push sent it back too, as shown.
    assert.match(push.out, /pushed filters, description/);
  });

  test('push to another environment creates a disabled copy; secrets are left unset and named', async () => {
    await cli(['pull', '--id', DEMO_IDS.webhookDestination, '--out', dir], env({ POSTHOG_PROJECT_ID: '1' }));
    const folder = folderOf(DEMO_IDS.webhookDestination);
    const diff = await cli(['diff', folder], env({ POSTHOG_PROJECT_ID: String(DEMO_PROJECTS.staging) }));
    assert.match(diff.out, /would create/);
    const push = await cli(['push', folder], env({ POSTHOG_PROJECT_ID: String(DEMO_PROJECTS.staging) }));
    assert.equal(push.code, 0, push.err);
    assert.match(push.err, /secret input headers left unset/);
    const copy = [...standIn.state.hogFunctions.values()].find(
      (f) => f.team_id === DEMO_PROJECTS.staging && f.name === standIn.state.hogFunctions.get(DEMO_IDS.webhookDestination)?.name,
    );
    assert.ok(copy);
    assert.equal(copy.enabled, false);
    assert.equal(copy.hog, standIn.state.hogFunctions.get(DEMO_IDS.webhookDestination)?.hog);
    // Pushing again finds it by name: an update, now up to date.
    assert.match((await cli(['push', folder], env({ POSTHOG_PROJECT_ID: String(DEMO_PROJECTS.staging) }))).out, /up to date/);
  });

  test('pull does not write a function whose code holds a key (it would land in git)', async () => {
    const id = DEMO_IDS.slackDestination;
    await fetch(`${standIn.url}/__standin/hog_functions/${id}/remote_edit`, { method: 'POST', body: JSON.stringify({ hog: `let key := '${KEY_SHAPED}'` }) });
    const pulled = await cli(['pull', '--out', dir], env({ POSTHOG_PROJECT_ID: '1' }));
    assert.equal(pulled.code, 1);
    assert.match(pulled.err, /Slack: new signups: not written: its function\.hog would hold what looks like a PostHog API key/);
    assert.throws(() => folderOf(id));
    assert.ok(folderOf(DEMO_IDS.webhookDestination), 'the others are written');
  });

  test('refuses folders with a key in a file, names bad files, and needs a key in the environment', async () => {
    await cli(['pull', '--id', DEMO_IDS.slackDestination, '--out', dir], env({ POSTHOG_PROJECT_ID: '1' }));
    const folder = folderOf(DEMO_IDS.slackDestination);
    const seq = standIn.requests.at(-1)?.seq ?? 0;
    fs.writeFileSync(path.join(folder, 'notes.txt'), `export POSTHOG_PERSONAL_API_KEY=${KEY_SHAPED}\n`);
    const refused = await cli(['push', folder]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /notes\.txt contains what looks like a PostHog API key/);
    assert.equal(standIn.requestsSince(seq).length, 0);
    fs.rmSync(path.join(folder, 'notes.txt'));
    fs.writeFileSync(path.join(folder, 'filters.json'), '{ "events": [ }');
    const bad = await cli(['push', folder]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /filters\.json: /);
    const noKey = await cli(['diff', folder], {});
    assert.equal(noKey.code, 2);
    assert.match(noKey.err, /POSTHOG_PERSONAL_API_KEY is not set/);
  });
});

describe('functions as files: the format', () => {
  test('folder names: an existing folder keeps its name; equal names get the id', () => {
    const names = folderNames(
      [
        { id: 'b-2', name: 'Slack' },
        { id: 'a-1', name: 'Slack' },
        { id: 'c-3', name: 'Renamed' },
      ],
      new Map([['c-3', 'Old name']]),
    );
    assert.deepEqual(Object.fromEntries(names), { 'c-3': 'Old name', 'a-1': 'Slack', 'b-2': 'Slack (b-2)' });
  });

  test('a missing function.json or a wrong type is a FolderError naming the file', () => {
    assert.throws(
      () => filesToFunction({ 'function.hog': '' }),
      (e: unknown) => e instanceof FolderError && e.message.includes('function.json: missing'),
    );
    const local = filesToFunction({ 'function.json': JSON.stringify({ type: 'transformation', name: 'x' }), 'function.hog': 'return event' });
    assert.throws(
      () => planPush(local, { id: 'x', type: 'destination', updated_at: '', enabled: false, name: 'x', hog: '' }, { host: 'h', projectId: 1 }),
      /PostHog cannot change a function's type/,
    );
  });
});
