/**
 * Suite imported by test/unit/standin.test.ts (not a *.test file itself, so it runs once).
 * Stand-in groups endpoints over real HTTP: types, cursor paging, find, values, related, writes.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_GROUPS, DEMO_KEYS } from '../data';
import { startStandIn, type StandIn } from '../server';
import { arr, clientFor, obj, str } from '../testClient';

describe('stand-in: groups', () => {
  let standIn: StandIn;
  const G = '/api/projects/1/groups/';

  before(async () => {
    standIn = await startStandIn({ groupsPageSize: 50 });
  });
  after(async () => {
    await standIn.close();
  });
  beforeEach(() => {
    standIn.reset();
  });

  const api = () => clientFor(standIn.url, DEMO_KEYS.fullAccess);

  test('groups_types: unpaginated array, only under /api/projects/', async () => {
    const types = arr((await api().get('/api/projects/1/groups_types/')).json).map(obj);
    assert.deepEqual(
      types.map((t) => [t.group_type_index, t.name_singular, t.name_plural]),
      [
        [0, 'company', 'companies'],
        [1, 'team', 'teams'],
        [2, 'project', 'projects'],
      ],
    );
    assert.deepEqual(Object.keys(types[0] ?? {}).sort(), ['created_at', 'default_columns', 'detail_dashboard', 'group_type', 'group_type_index', 'name_plural', 'name_singular']);
    assert.equal((await api().get('/api/environments/1/groups_types/')).status, 404);
    assert.equal(arr((await api().get('/api/projects/2/groups_types/')).json).length, 1);
  });

  test('list requires an integer group_type_index', async () => {
    const missing = obj((await api().get(G)).json);
    assert.deepEqual([missing.type, missing.attr, missing.detail], ['validation_error', 'group_type_index', 'This field is required.']);
    assert.equal(obj((await api().get(`${G}?group_type_index=abc`)).json).attr, 'group_type_index');
  });

  test('cursor pagination walks every group once, newest first, then next is null', async () => {
    let url: string | null = `${standIn.url}/api/environments/1/groups/?group_type_index=0`;
    const keys: string[] = [];
    const stamps: string[] = [];
    let pages = 0;
    while (url) {
      const page = obj(await (await fetch(url, { headers: { authorization: `Bearer ${DEMO_KEYS.fullAccess}` } })).json());
      assert.equal(page.previous, null);
      for (const g of arr(page.results).map(obj)) {
        keys.push(String(g.group_key));
        stamps.push(String(g.created_at));
        assert.equal(g.group_type_index, 0);
      }
      url = page.next === null ? null : str(page.next);
      if (url) assert.ok(url.startsWith(`${standIn.url}/api/environments/1/groups/?`) && url.includes('cursor='));
      pages++;
    }
    assert.equal(pages, Math.ceil(DEMO_GROUPS.companyCount / 50));
    assert.equal(keys.length, DEMO_GROUPS.companyCount);
    assert.equal(new Set(keys).size, keys.length);
    assert.deepEqual(stamps, [...stamps].sort().reverse());
  });

  test('garbage cursors restart at page 1; page size follows config', async () => {
    const first = obj((await api().get(`${G}?group_type_index=1`)).json);
    const garbage = obj((await api().get(`${G}?group_type_index=1&cursor=not-base64-json`)).json);
    assert.deepEqual(garbage.results, first.results);
    standIn.config.groupsPageSize = 7;
    assert.equal(arr(obj((await api().get(`${G}?group_type_index=1`)).json).results).length, 7);
  });

  test('search matches the name property and key case-insensitively; group_key is a substring filter', async () => {
    const search = arr(obj((await api().get(`${G}?group_type_index=0&search=ACME`)).json).results).map(obj);
    assert.deepEqual(search.map((g) => g.group_key).sort(), ['acme-analytics', 'acme-cloud', 'acme-inc', 'acme-labs', 'acme-systems']);
    const byKey = arr(obj((await api().get(`${G}?group_type_index=1&group_key=TEAM-00`)).json).results);
    assert.equal(byKey.length, 9);
  });

  test('find: the group with notebook null, 404 when unknown, notebook side effect recorded', async () => {
    const found = obj((await api().get(`${G}find/?group_type_index=0&group_key=${DEMO_GROUPS.firstCompanyKey}&skip_create_notebook=true`)).json);
    assert.equal(obj(found.group_properties).name, 'Acme Labs');
    assert.equal(found.notebook, null);
    assert.equal(standIn.state.notebooksCreated.length, 0);
    await api().get(`${G}find/?group_type_index=0&group_key=${DEMO_GROUPS.firstCompanyKey}`);
    assert.equal(standIn.state.notebooksCreated.length, 1);
    assert.equal((await api().get(`${G}find/?group_type_index=0&group_key=nope`)).status, 404);
  });

  test('property_values: top values with counts, optional substring filter', async () => {
    const res = obj((await api().get(`${G}property_values/?group_type_index=0&key=plan`)).json);
    assert.equal(res.refreshing, false);
    const results = arr(res.results).map(obj);
    assert.deepEqual(results.map((r) => r.name).sort(), ['enterprise', 'free', 'scale', 'startup']);
    assert.equal(
      results.reduce((sum, r) => sum + Number(r.count), 0),
      DEMO_GROUPS.companyCount,
    );
    const counts = results.map((r) => Number(r.count));
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => b - a),
    );
    const filtered = arr(obj((await api().get(`${G}property_values/?group_type_index=0&key=plan&value=ent`)).json).results).map(obj);
    assert.deepEqual(
      filtered.map((r) => r.name),
      ['enterprise'],
    );
  });

  test('related: groups of other types linked to the company', async () => {
    const related = arr((await api().get(`${G}related/?group_type_index=0&id=${DEMO_GROUPS.firstCompanyKey}`)).json).map(obj);
    assert.ok(related.length >= 3);
    assert.ok(related.every((r) => r.type === 'group' && r.group_type_index !== 0));
    assert.ok(related.some((r) => r.group_type_index === 1) && related.some((r) => r.group_type_index === 2));
    assert.deepEqual((await api().get(`${G}related/?group_type_index=0&id=unknown`)).json, []);
  });

  test('update_property: sets a value and returns the group; validation and 404', async () => {
    const url = `${G}update_property/?group_type_index=0&group_key=${DEMO_GROUPS.firstCompanyKey}`;
    const updated = obj((await api().post(url, { key: 'tier', value: { level: 3 } })).json);
    assert.deepEqual(obj(updated.group_properties).tier, { level: 3 });
    assert.equal(obj((await api().post(url, { value: 1 })).json).attr, 'key');
    assert.equal(obj((await api().post(url, { key: 'tier', value: null })).json).attr, 'value');
    assert.equal(obj((await api().post(url, { key: 'tier' })).json).attr, 'value');
    assert.equal((await api().post(`${G}update_property/?group_type_index=0&group_key=nope`, { key: 'a', value: 1 })).status, 404);
    const readOnly = await clientFor(standIn.url, DEMO_KEYS.readOnly).post(url, { key: 'a', value: 1 });
    assert.equal(obj(readOnly.json).detail, "API key missing required scope 'group:write'");
  });

  test('delete_property: removes it; $unset must be an existing property name', async () => {
    const url = `${G}delete_property/?group_type_index=0&group_key=${DEMO_GROUPS.firstCompanyKey}`;
    const res = obj((await api().post(url, { $unset: 'industry' })).json);
    assert.ok(!('industry' in obj(res.group_properties)));
    assert.equal(obj((await api().post(url, { $unset: 'industry' })).json).attr, '$unset');
    assert.equal(obj((await api().post(url, { $unset: 42 })).json).attr, '$unset');
    assert.equal(obj((await api().post(url, {})).json).attr, '$unset');
  });
});
