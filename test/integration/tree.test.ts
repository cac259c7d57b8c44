// The PostHog tree inside the real editor (issue 3): structure, one list pass, paging, search, errors.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { groupUri } from '../../src/fs/uri';
import type { Node } from '../../src/tree/nodes';
import { api, control, env, lastSeq, requestsSince, standInUrl, until } from './helpers';

async function children(node?: Node): Promise<Node[]> {
  const { services } = await api();
  return services.explorer.getChildren(node);
}

suite('PostHog tree', () => {
  suiteSetup(async () => {
    await env();
  });

  test('environment → hog functions by type → functions → documents; one list pass feeds all folders', async () => {
    const { services } = await api();
    services.explorer.reload();
    const since = await lastSeq();
    const roots = await children();
    const envNode = roots.find((n) => n.kind === 'environment' && n.env.projectId === 1);
    assert.ok(envNode);
    const [functions, groups] = await children(envNode);
    assert.equal(functions?.kind, 'functions');
    assert.equal(groups?.kind, 'groups');
    const folders = await children(functions);
    const types = folders.map((f) => (f.kind === 'type' ? f.info.type : f.kind));
    for (const t of ['destination', 'transformation', 'site_destination', 'site_app', 'source_webhook', 'internal_destination', 'email_campaign']) {
      assert.ok(types.includes(t), `folder for ${t}: ${types.join(', ')}`);
    }
    const listCalls = (await requestsSince(since)).filter((r) => r.path === '/api/environments/1/hog_functions/');
    for (const folder of folders) {
      const fns = await children(folder);
      assert.ok(fns.length > 0 && fns.every((f) => f.kind === 'function'));
    }
    const after = (await requestsSince(since)).filter((r) => r.path === '/api/environments/1/hog_functions/');
    assert.equal(after.length, listCalls.length, 'expanding folders issues no request');
    const dest = folders.find((f) => f.kind === 'type' && f.info.type === 'destination');
    const [fn] = await children(dest);
    assert.ok(fn);
    const item = services.explorer.getTreeItem(fn);
    assert.match(String(item.description), /^(enabled|disabled)/);
    assert.match(item.contextValue ?? '', /^hogFunction:destination:(enabled|disabled)/);
    const docs = await children(fn);
    assert.deepEqual(
      docs.map((d) => (d.kind === 'functionDoc' ? d.doc : d.kind)),
      ['code', 'inputs'],
    );
  });

  test('groups: group types by name_plural, "Load more…" pages with the cursor, search narrows', async () => {
    const { services } = await api();
    const e = await env();
    services.explorer.reload(e);
    const envNode = (await children()).find((n) => n.kind === 'environment' && n.env.projectId === 1);
    const groups = (await children(envNode)).find((n) => n.kind === 'groups');
    const types = await children(groups);
    assert.deepEqual(
      types.map((t) => (t.kind === 'groupType' ? services.explorer.getTreeItem(t).label : t.kind)),
      ['Companies', 'Teams', 'Projects'],
    );
    const companies = types[0];
    const page1 = await children(companies);
    const more = page1.at(-1);
    assert.equal(more?.kind, 'loadMore');
    const since = await lastSeq();
    await vscode.commands.executeCommand('posthogHog.loadMoreGroups', more);
    const page2 = await children(companies);
    assert.ok(page2.filter((n) => n.kind === 'group').length > page1.filter((n) => n.kind === 'group').length);
    const reqs = (await requestsSince(since)).filter((r) => r.path === '/api/environments/1/groups/');
    assert.equal(reqs.length, 1, 'one request per Load more');
    assert.ok(reqs[0]?.query.cursor, 'follows the cursor');

    assert.ok(companies?.kind === 'groupType');
    services.groups.setSearch(e, companies.groupType.group_type_index, 'hog');
    const found = await children(companies);
    assert.ok(found.length > 0);
    assert.ok(found.every((n) => n.kind !== 'group' || JSON.stringify(n.group).toLowerCase().includes('hog')));
    services.groups.setSearch(e, companies.groupType.group_type_index, undefined);
  });

  test('a failed "Load more…" keeps the rows; Retry fetches only that page; a failed first page is not re-fetched by redraws', async () => {
    const { services } = await api();
    const e = await env();
    services.explorer.reload(e);
    const envNode = (await children()).find((n) => n.kind === 'environment' && n.env.projectId === 1);
    const groups = (await children(envNode)).find((n) => n.kind === 'groups');
    const companies = (await children(groups))[0];
    const page1 = await children(companies);
    const rows = page1.filter((n) => n.kind === 'group').length;
    const more = page1.at(-1);
    assert.equal(more?.kind, 'loadMore');
    try {
      await control('POST', 'faults', { method: 'GET', path: 'cursor=', kind: 'status', status: 500 });
      await vscode.commands.executeCommand('posthogHog.loadMoreGroups', more);
      const failed = await children(companies);
      assert.equal(failed.filter((n) => n.kind === 'group').length, rows, 'the rows already loaded stay');
      const err = failed.at(-1);
      assert.equal(err?.kind, 'error');
      const label = services.explorer.getTreeItem(err).label;
      assert.match(typeof label === 'string' ? label : (label?.label ?? ''), /^Could not load more groups: PostHog had a server error \(500\)/);
      const since = await lastSeq();
      await vscode.commands.executeCommand('posthogHog.retryNode', err);
      const retried = await children(companies);
      assert.ok(retried.filter((n) => n.kind === 'group').length > rows, 'the next page arrived');
      assert.deepEqual(
        (await requestsSince(since)).filter((r) => r.path === '/api/environments/1/groups/').map((r) => Boolean(r.query.cursor)),
        [true],
        'Retry: one request, for the page that failed',
      );

      // A first page that fails stays an error node until Retry: redraws do not fetch it again.
      await control('POST', 'faults', { method: 'GET', path: 'group_type_index=1', kind: 'status', status: 500 });
      services.explorer.reload(e);
      const teams = (await children(groups))[1];
      const [firstErr] = await children(teams);
      assert.equal(firstErr?.kind, 'error');
      const quiet = await lastSeq();
      await children(teams);
      await children(teams);
      assert.deepEqual(
        (await requestsSince(quiet)).filter((r) => r.path === '/api/environments/1/groups/'),
        [],
        'no request per redraw',
      );
      await vscode.commands.executeCommand('posthogHog.retryNode', firstErr);
      assert.ok(
        (await children(teams)).some((n) => n.kind === 'group'),
        'Retry loads the first page',
      );
    } finally {
      await control('DELETE', 'faults');
    }
  });

  test('filter narrows hog functions server-side', async () => {
    const { services } = await api();
    await env();
    services.store.setFilter({ search: 'slack' });
    try {
      const envNode = (await children()).find((n) => n.kind === 'environment' && n.env.projectId === 1);
      const functions = (await children(envNode)).find((n) => n.kind === 'functions');
      const folders = await children(functions);
      const names = (await Promise.all(folders.map((f) => children(f)))).flat().map((n) => (n.kind === 'function' ? (n.fn.name ?? '') : ''));
      assert.ok(names.length > 0 && names.every((n) => n.toLowerCase().includes('slack')), names.join(', '));
    } finally {
      services.store.setFilter({});
    }
  });

  test('a revoked key shows an error node with the reason; it recovers after a new key', async () => {
    const { services } = await api();
    const e = await env();
    await control('POST', 'keys', { key: 'phx_demo_temporary_key', scopes: ['*'] });
    await services.keys.set(e.host, 'phx_demo_temporary_key');
    try {
      await control('DELETE', 'keys/phx_demo_temporary_key');
      services.explorer.reload(e);
      const envNode = (await children()).find((n) => n.kind === 'environment' && n.env.projectId === 1);
      const functions = (await children(envNode)).find((n) => n.kind === 'functions');
      const [err] = await children(functions);
      assert.equal(err?.kind, 'error');
      const label = services.explorer.getTreeItem(err).label;
      assert.match(typeof label === 'string' ? label : (label?.label ?? ''), /personal API key/);
    } finally {
      await services.keys.delete(e.host);
    }
    services.explorer.reload(e);
    const envNode = (await children()).find((n) => n.kind === 'environment' && n.env.projectId === 1);
    const functions = (await children(envNode)).find((n) => n.kind === 'functions');
    assert.ok((await children(functions)).every((n) => n.kind === 'type'));
  });

  test('F11: a group key with markdown in it is escaped in the tooltip; F9: the folder listing names it as its document URI does', async () => {
    const { services } = await api();
    const e = await env();
    const key = 'evil`](https://example.com/x.png) [a b';
    const created = await fetch(`${standInUrl()}/api/environments/1/groups/`, {
      method: 'POST',
      headers: { authorization: 'Bearer phx_demo_full_access', 'content-type': 'application/json' },
      body: JSON.stringify({ group_type_index: 0, group_key: key, group_properties: { name: 'Evil Corp' } }),
    });
    assert.ok(created.status === 201 || created.status === 400, `created (${created.status})`);
    services.groups.invalidate(e);
    services.groups.setSearch(e, 0, 'Evil');
    await services.groups.ensureFirstPage(e, 0);
    const group = services.groups.state(e, 0).groups.find((g) => g.group_key === key);
    if (!group) return assert.fail('the stand-in has the group');
    const node = { kind: 'group' as const, id: `t/${key}`, parent: undefined, env: e, groupType: { group_type: 'company', group_type_index: 0 }, group };
    const tooltip = services.explorer.getTreeItem(node).tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    assert.ok(!tooltip.value.includes('](https://example.com'), `escaped: ${tooltip.value}`);
    const listed = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(groupUri(e, 0, key), '..'));
    const name = groupUri(e, 0, key).path.split('/').pop();
    assert.ok(
      listed.some(([n]) => n === name),
      'the listing names the group as its document URI does',
    );
    services.groups.setSearch(e, 0, undefined);
  });

  test('F1: a filter set while the list is loading is the one shown (the old load does not win)', async () => {
    const { services } = await api();
    const e = await env();
    services.store.invalidate(e);
    const unfiltered = services.store.load(e);
    services.store.setFilter({ types: ['transformation'] });
    try {
      const filtered = await services.store.load(e);
      await unfiltered.catch(() => undefined);
      assert.ok(filtered.length > 0 && filtered.every((f) => f.type === 'transformation'));
      const state = services.store.listState(e);
      assert.ok(state.status === 'loaded' && state.items.every((f) => f.type === 'transformation'), 'the unfiltered load did not overwrite the filtered list');
    } finally {
      services.store.setFilter({});
    }
  });
});

suite('PostHog tree redraws only what changed', () => {
  /** Waits until no redraw is pending and no fetch runs (checked every 10 ms: the queue has no event). */
  async function settled(): Promise<void> {
    const { services } = await api();
    const deadline = Date.now() + 10000;
    while (services.explorer.busy) {
      if (Date.now() > deadline) throw new Error('the tree did not settle');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  test('an unchanged read redraws nothing; a rename redraws its row only; an enable redraws its folder only', async () => {
    const { services } = await api();
    const e = await env();
    const explorer = services.explorer;
    explorer.reload(e);
    const envNode = (await children()).find((n) => n.kind === 'environment' && n.env.projectId === 1);
    const [functions] = await children(envNode);
    const dest = (await children(functions)).find((f) => f.kind === 'type' && f.info.type === 'destination');
    const row = (await children(dest)).find((r) => r.kind === 'function');
    assert.ok(dest?.kind === 'type' && row?.kind === 'function');
    const docs = await children(row);
    for (const d of docs) explorer.getTreeItem(d);
    for (const n of [envNode, functions, dest, row]) if (n) explorer.getTreeItem(n);
    await settled();
    const events: string[] = [];
    const sub = explorer.onDidChangeTreeData((n) => events.push(n?.id ?? '(everything)'));
    const original = row.fn;
    try {
      // Opening a document reads the version the list shows: nothing to redraw (it used to redraw the list).
      await services.store.fetch(e, original.id);
      await settled();
      assert.deepEqual(events, [], 'an unchanged read redraws nothing');

      await services.store.rename(e, original, `${original.name ?? ''} (renamed)`);
      await until([explorer.onDidChangeTreeData], () => events.length > 0, 'a redraw');
      await settled();
      assert.deepEqual(events, [row.id], 'a rename redraws the row (and so its documents), not the list');
      const label = explorer.getTreeItem(row).label;
      assert.match(typeof label === 'string' ? label : (label?.label ?? ''), /\(renamed\)$/);
      const codeDoc = docs.find((d) => d.kind === 'functionDoc' && d.doc === 'code');
      assert.ok(codeDoc);
      assert.match(decodeURIComponent(explorer.getTreeItem(codeDoc).resourceUri?.path ?? ''), /\(renamed\)\.hog$/, 'the document is named after the new name');

      events.length = 0;
      const renamed = services.store.summary(e, original.id);
      assert.ok(renamed);
      await services.store.setEnabled(e, renamed, !renamed.enabled);
      await until([explorer.onDidChangeTreeData], () => events.length > 0, 'a redraw');
      await settled();
      assert.deepEqual(events, [dest.id], 'the folder count changed: the folder is redrawn, not the list');
    } finally {
      sub.dispose();
      const now = services.store.summary(e, original.id);
      if (now && now.enabled !== original.enabled) await services.store.setEnabled(e, now, original.enabled);
      const again = services.store.summary(e, original.id);
      if (again && again.name !== original.name) await services.store.rename(e, again, original.name ?? '');
    }
  });
});
