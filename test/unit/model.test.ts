import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDocPath, functionDocPath, groupDocPath, codeFileName, fileSafe } from '../../src/model/docPath';
import { humanParseError, parseInputsDocument, serializeInputs, locateInputKey } from '../../src/model/inputsDocument';
import { ParseErrorCode } from 'jsonc-parser';
import { groupByType, functionLabel, functionDescription, functionContextValue, groupLabel } from '../../src/model/treeModel';
import { typeInfo, canEnableBackfills } from '../../src/model/hogFunctionTypes';
import { compareTimestamps } from '../../src/model/timestamps';
import { hasScope, missingScopes } from '../../src/model/scopes';
import { isPartialWrite, isWriteConflict, PartialWriteError, WriteConflictError } from '../../src/model/writeErrors';
import { asPostHogError, isPostHogError, PostHogError } from '../../src/api/errors';
import type { HogFunctionSummary, InputSchemaItem } from '../../src/api/schemas';

const fn = (over: Partial<HogFunctionSummary>): HogFunctionSummary => ({ id: 'x', updated_at: '2026-01-01T00:00:00.000000Z', enabled: true, ...over });

describe('document paths', () => {
  test('round-trips code, inputs, filters and groups', () => {
    assert.deepEqual(parseDocPath(functionDocPath(1, 'abc-123', 'code', 'My hook.hog')), { kind: 'code', projectId: 1, functionId: 'abc-123' });
    assert.deepEqual(parseDocPath(functionDocPath(7, 'abc', 'inputs')), { kind: 'inputs', projectId: 7, functionId: 'abc' });
    assert.deepEqual(parseDocPath(functionDocPath(7, 'abc', 'filters')), { kind: 'filters', projectId: 7, functionId: 'abc' });
    for (const key of ['acme', 'a/b', '100%', 'ünïcode ☃', 'with space', 'a%2Fb', '?=#&']) {
      assert.deepEqual(parseDocPath(groupDocPath(2, 0, key)), { kind: 'group', projectId: 2, groupTypeIndex: 0, groupKey: key }, key);
    }
  });
  test('directories and rejects', () => {
    assert.deepEqual(parseDocPath('/'), { kind: 'root' });
    assert.deepEqual(parseDocPath('/3/hog_functions'), { kind: 'functions', projectId: 3 });
    assert.deepEqual(parseDocPath('/3/groups/1'), { kind: 'groupType', projectId: 3, groupTypeIndex: 1 });
    assert.equal(parseDocPath('/x/hog_functions'), undefined);
    assert.equal(parseDocPath('/1/hog_functions/../etc/passwd.hog'), undefined);
    assert.equal(parseDocPath('/1/hog_functions/abc/readme.md'), undefined);
    assert.equal(parseDocPath('/1/other'), undefined);
  });
  test('the name segment is ignored (stale names after a rename still resolve)', () => {
    assert.deepEqual(parseDocPath('/1/hog_functions/abc/Old name.hog'), parseDocPath('/1/hog_functions/abc/New name.hog'));
  });
  test('file names are safe and typed by language', () => {
    assert.equal(codeFileName('Slack: alerts / prod', 'hog'), 'Slack- alerts - prod.hog');
    assert.equal(codeFileName('', 'typescript'), 'code.ts');
    assert.equal(fileSafe('..hidden'), 'hidden');
    assert.ok(fileSafe('x'.repeat(300)).length <= 80);
  });
});

const schema: InputSchemaItem[] = [
  { key: 'url', type: 'string', required: true },
  { key: 'token', type: 'string', secret: true, required: true },
  { key: 'method', type: 'choice', choices: [{ value: 'POST' }, { value: 'GET' }] },
  { key: 'debug', type: 'boolean' },
  { key: 'retries', type: 'number' },
  { key: 'headers', type: 'dictionary' },
];

describe('inputs document', () => {
  test('serialises without server-derived fields, in schema order, secrets as markers', () => {
    const text = serializeInputs({ debug: { value: true, bytecode: ['_H'], order: 2 }, url: { value: 'https://x', transpiled: 'x' }, token: { secret: true } }, schema);
    assert.equal(text, '{\n  "url": {\n    "value": "https://x"\n  },\n  "token": {\n    "secret": true\n  },\n  "debug": {\n    "value": true\n  }\n}\n');
  });
  test('a valid document parses to the inputs to send', () => {
    const r = parseInputsDocument('{"url":{"value":"https://a/{event.uuid}"},"token":{"secret":true},"method":{"value":"GET"},"debug":{"value":"{inputs.x}"}}', schema);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.inputs, { url: { value: 'https://a/{event.uuid}' }, token: { secret: true }, method: { value: 'GET' }, debug: { value: '{inputs.x}' } });
  });
  test('syntax errors point at the offset', () => {
    const text = '{"url": {"value": "a"},, }';
    const r = parseInputsDocument(text, schema);
    assert.equal(r.inputs, undefined);
    assert.match(r.problems[0]?.message ?? '', /Invalid JSON/);
    assert.equal(r.problems[0]?.offset, text.indexOf(',,') + 1);
  });
  test('refuses unknown keys, missing required, wrong types, bad choices, the mask', () => {
    const text = JSON.stringify({
      url: { value: 3 },
      token: { value: '********' },
      method: { value: 'PUT' },
      retries: { value: 'x' },
      headers: { value: [] },
      extra: { value: 1 },
    });
    const r = parseInputsDocument(text, schema);
    assert.equal(r.inputs, undefined);
    const messages = r.problems.map((p) => p.message).join('\n');
    assert.match(messages, /"url" must be a string/);
    assert.match(messages, /mask/);
    assert.match(messages, /"method" must be one of "POST", "GET"/);
    assert.match(messages, /"retries" must be a number/);
    assert.match(messages, /"headers" must be an object/);
    assert.match(messages, /Unknown input "extra"/);
    const extra = r.problems.find((p) => p.key === 'extra');
    assert.equal(text.slice(extra?.offset, (extra?.offset ?? 0) + (extra?.length ?? 0)), '"extra"');
  });
  test('required inputs missing and secret misuse', () => {
    const r = parseInputsDocument('{"debug": {"secret": true}}', schema);
    const messages = r.problems.map((p) => p.message).join('\n');
    assert.match(messages, /Required input "url"/);
    assert.match(messages, /Required input "token"/);
    assert.match(messages, /"debug" is not a secret input/);
  });
  test('leaving out an optional secret is fine: PostHog keeps its stored value (E7)', () => {
    const optionalSecret: InputSchemaItem[] = [
      { key: 'url', type: 'string', required: true },
      { key: 'auth', type: 'string', secret: true },
    ];
    const r = parseInputsDocument('{"url": {"value": "https://x"}}', optionalSecret);
    assert.deepEqual(r.inputs, { url: { value: 'https://x' } });
    assert.deepEqual(r.problems, []);
  });

  test("JSON syntax errors in words, by jsonc-parser's own codes", () => {
    assert.equal(humanParseError(ParseErrorCode.InvalidSymbol), 'unexpected character');
    assert.equal(humanParseError(ParseErrorCode.ColonExpected), 'expected ":"');
    assert.equal(humanParseError(ParseErrorCode.CommaExpected), 'expected ","');
    assert.equal(humanParseError(ParseErrorCode.CloseBraceExpected), 'expected "}"');
    assert.equal(humanParseError(ParseErrorCode.InvalidCharacter), 'invalid character in string');
    assert.match(parseInputsDocument('{ "url": { "value" 1 } }', schema).problems[0]?.message ?? '', /Invalid JSON: expected ":"/);
  });

  test('locates a key for server errors (inputs__url)', () => {
    const text = serializeInputs({ url: { value: 'x' } }, schema);
    const at = locateInputKey(text, 'url');
    assert.equal(text.slice(at?.offset, (at?.offset ?? 0) + (at?.length ?? 0)), '"url"');
  });
});

describe('errors from another bundle', () => {
  test('a PostHogError is recognised from any bundle (a cancelled request stays silent in the command handlers)', () => {
    const own = new PostHogError({ kind: 'cancelled', endpoint: 'GET /x' });
    assert.ok(isPostHogError(own));
    // What dist/commands.js sees when a store request in dist/extension.js is cancelled: another copy.
    class OtherCopy extends Error {
      readonly kind = 'cancelled';
      readonly status = undefined;
      readonly detail = undefined;
      readonly isCancelled = true;
      constructor() {
        super('cancelled');
        this.name = 'PostHogError';
      }
    }
    const foreign = new OtherCopy();
    assert.ok(isPostHogError(foreign));
    assert.equal(asPostHogError(foreign)?.isCancelled, true);
    assert.ok(!isPostHogError(new Error('PostHogError')));
  });

  test('a write conflict is recognised from any bundle (the command handlers carry their own copy of the class)', () => {
    assert.ok(isWriteConflict(new WriteConflictError('changed', { id: 'f' })));
    // What dist/commands.js sees when the store in dist/extension.js throws: another copy of the class.
    class OtherCopy extends Error {
      readonly keys: readonly string[] = [];
      constructor(readonly remote: unknown) {
        super('changed');
        this.name = 'WriteConflictError';
      }
    }
    assert.ok(isWriteConflict(new OtherCopy({ id: 'f' })));
    assert.ok(!isWriteConflict(new Error('changed')));
    assert.ok(!isWriteConflict({ name: 'WriteConflictError', message: 'changed', remote: {}, keys: [] }), 'not an Error');
  });

  test('a partial write is recognised from any bundle (the documents bundle carries its own copy of the class)', () => {
    assert.ok(isPartialWrite(new PartialWriteError('stopped', [1], [2], undefined)));
    // What dist/documents.js sees when the group store in dist/extension.js throws: another copy of the class.
    class OtherCopy extends Error {
      readonly applied = [1];
      readonly notApplied = [2];
      readonly state = undefined;
      constructor() {
        super('stopped');
        this.name = 'PartialWriteError';
      }
    }
    assert.ok(isPartialWrite(new OtherCopy()));
    assert.ok(!isPartialWrite(new Error('stopped')));
    assert.ok(!isPartialWrite(new WriteConflictError('changed', {})));
    assert.ok(!isPartialWrite({ name: 'PartialWriteError', message: 'stopped', applied: [], notApplied: [], state: undefined }), 'not an Error');
  });
});

describe('tree model', () => {
  test('groups by type in a fixed order, unknown types last with a readable label', () => {
    const folders = groupByType([
      fn({ id: '1', type: 'email_campaign', name: 'b' }),
      fn({ id: '2', type: 'transformation', name: 't2', execution_order: 2 }),
      fn({ id: '3', type: 'destination', name: 'Zeta' }),
      fn({ id: '4', type: 'destination', name: 'alpha' }),
      fn({ id: '5', type: 'transformation', name: 't1', execution_order: 1 }),
      fn({ id: '6', type: 'site_app', name: 's' }),
      fn({ id: '7', type: null, name: 'legacy' }),
    ]);
    assert.deepEqual(
      folders.map((f) => f.info.label),
      ['Destinations', 'Transformations', 'Site apps', 'Email campaigns'],
    );
    assert.deepEqual(
      folders[0]?.items.map((i) => i.name),
      ['alpha', 'legacy', 'Zeta'],
    );
    assert.deepEqual(
      folders[1]?.items.map((i) => i.name),
      ['t1', 't2'],
    );
  });
  test('a refresh with the same functions and names keeps the drawn order (no new sort); any change that orders sorts anew', () => {
    const items = [
      fn({ id: 'a', name: 'alpha' }),
      fn({ id: 'b', name: 'beta' }),
      fn({ id: 'c', name: 'gamma' }),
      fn({ id: 't', type: 'transformation', name: 'T', execution_order: 1 }),
    ];
    const sorted = groupByType(items);
    // New objects for the same functions (what a refresh brings), the drawn folders as `previous`.
    const refreshed = items.map((f) => ({ ...f, enabled: !f.enabled }));
    const drawn = new Map(sorted.map((f) => [f.info.type, f.items]));
    const again = groupByType(refreshed, drawn);
    assert.deepEqual(
      again.map((f) => f.items.map((i) => i.id)),
      sorted.map((f) => f.items.map((i) => i.id)),
    );
    assert.ok(
      again[0]?.items.every((i) => refreshed.includes(i)),
      'the new objects, in the drawn order',
    );
    // `previous` is trusted as sorted: given another order of the same keys, it is what comes back (no sort ran).
    const reversed = new Map([['destination', [...(sorted[0]?.items ?? [])].reverse()]]);
    assert.deepEqual(
      groupByType([...refreshed], reversed)[0]?.items.map((i) => i.id),
      ['c', 'b', 'a'],
    );
    // A rename, an added or a removed function: sorted anew.
    const renamed = refreshed.map((f) => (f.id === 'a' ? { ...f, name: 'zulu' } : f));
    assert.deepEqual(
      groupByType(renamed, reversed)[0]?.items.map((i) => i.id),
      ['b', 'c', 'a'],
    );
    assert.deepEqual(
      groupByType([...refreshed, fn({ id: 'd', name: 'delta' })], reversed)[0]?.items.map((i) => i.id),
      ['a', 'b', 'd', 'c'],
    );
    assert.deepEqual(
      groupByType(
        refreshed.filter((f) => f.id !== 'b'),
        reversed,
      )[0]?.items.map((i) => i.id),
      ['a', 'c'],
    );
    // Transformations keep their execution order: a changed order sorts anew too.
    const moved = [...refreshed, fn({ id: 'u', type: 'transformation', name: 'U', execution_order: 0 })];
    assert.deepEqual(
      groupByType(moved, drawn)[1]?.items.map((i) => i.id),
      ['u', 't'],
    );
  });
  test('labels, descriptions and context values', () => {
    assert.equal(functionLabel(fn({ id: 'abcdef123456', name: ' ' })), 'Untitled (abcdef12)');
    assert.equal(functionDescription(fn({ enabled: true, status: { state: 2 } })), 'enabled · degraded');
    assert.equal(functionDescription(fn({ enabled: false, status: { state: 3 } })), 'disabled');
    // F15: a staged draft shows in the description.
    assert.equal(functionDescription(fn({ enabled: false, draft_updated_at: '2026-09-01T10:00:00.000000Z' })), 'disabled · draft');
    assert.equal(functionContextValue(fn({ type: 'destination', enabled: true })), 'hogFunction:destination:enabled:backfillable');
    assert.equal(functionContextValue(fn({ type: 'destination', enabled: false, filters: { source: 'person-updates' } })), 'hogFunction:destination:disabled');
    assert.equal(functionContextValue({ ...fn({ type: 'destination' }), batch_export_id: 'b' }), 'hogFunction:destination:enabled');
    assert.equal(functionContextValue(fn({ type: 'transformation', enabled: true })), 'hogFunction:transformation:enabled');
    assert.equal(groupLabel({ group_type_index: 0, group_key: 'k', group_properties: { name: 'Acme' }, created_at: null }), 'Acme');
    assert.equal(groupLabel({ group_type_index: 0, group_key: 'k', group_properties: { name: 3 }, created_at: null }), 'k');
    const ordered = groupByType([fn({ name: 'item 10' }), fn({ name: 'Item 2' }), fn({ name: 'item 1' })]);
    assert.deepEqual(
      ordered[0]?.items.map((f) => f.name),
      ['item 1', 'Item 2', 'item 10'],
      'numeric, case-insensitive order',
    );
  });
  test('types: code language and backfill eligibility', () => {
    assert.equal(typeInfo('site_destination').codeLanguage, 'typescript');
    assert.equal(typeInfo('source_webhook').codeLanguage, 'hog');
    assert.equal(canEnableBackfills({ type: 'destination', filters: {} }), true);
    assert.equal(canEnableBackfills({ type: 'destination', filters: { source: 'data-warehouse-table' } }), false);
    assert.equal(canEnableBackfills({ type: 'transformation' }), false);
  });
});

describe('timestamps and scopes', () => {
  test('microsecond precision survives (no Date truncation)', () => {
    assert.equal(compareTimestamps('2026-09-01T10:00:00.123456Z', '2026-09-01T10:00:00.123457Z'), -1);
    assert.equal(compareTimestamps('2026-09-01T10:00:00.1234Z', '2026-09-01T10:00:00.123400Z'), 0);
    assert.equal(compareTimestamps('2026-09-01T10:00:01Z', '2026-09-01T10:00:00.999999Z'), 1);
    assert.equal(compareTimestamps('2026-09-01T12:00:00.000001+02:00', '2026-09-01T10:00:00.000001Z'), 0);
  });
  test('scopes: write implies read, * and legacy keys allow all', () => {
    assert.equal(hasScope(['hog_function:write'], 'hog_function:read'), true);
    assert.equal(hasScope(['hog_function:read'], 'hog_function:write'), false);
    assert.equal(hasScope(['*'], 'group:write'), true);
    assert.equal(hasScope([], 'group:write'), true);
    assert.deepEqual(missingScopes(['hog_function:write', 'group:read']), ['group:write']);
  });
});
