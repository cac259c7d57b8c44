/**
 * Regression tests named after the reliability review's findings (../shared/docs/review-reliability.md)
 * for what plain Node can exercise: the JSON round trip, document parsing and the group save plan.
 * HTTP findings run against the stand-in in client.test.ts; store and file-system ones inside the
 * editor in test/integration/reliability.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { InputSchemaItem } from '../../src/api/schemas';
import { HogFunctionSchema } from '../../src/api/schemas';
import { canonicalCode } from '../../src/model/codeDocument';
import { canonicalFilters, parseFiltersDocument, serializeFilters } from '../../src/model/filtersDocument';
import { functionDocuments } from '../../src/model/functionDocuments';
import { parseGroupDocument, serializeGroup } from '../../src/model/groupDocument';
import { diffProperties, planGroupSave } from '../../src/model/groupSave';
import { canonicalInputs, parseInputsDocument, serializeInputs } from '../../src/model/inputsDocument';
import { redirectError } from '../../src/api/http';
import { apiHostFromEnv } from '../../src/model/environment';
import { groupLink } from '../../src/model/links';
import { canonicalJson, mayLosePrecision, parseJson, stringifyJson } from '../../src/model/json';

const BIG = '12345678901234567890';
const schema: InputSchemaItem[] = [
  { key: 'account', type: 'json', label: 'Account', required: false, secret: false, hidden: false, choices: null, templating: null, description: null },
  { key: 'headers', type: 'dictionary', label: 'Headers', required: false, secret: true, hidden: false, choices: null, templating: null, description: null },
  { key: 'mode', type: 'choice', label: 'Mode', required: false, secret: true, hidden: false, choices: [{ value: 'a', label: 'A' }], templating: null, description: null },
];

describe('A6: numbers above 2^53 and "__proto__" keys survive byte for byte', () => {
  test('a response round-trips through parse, the schema, the inputs document and the PATCH body', () => {
    const response = `{"id":"f","updated_at":"2026-01-01T00:00:00.000000Z","enabled":false,"inputs":{"account":{"value":{"__proto__":{"x":1},"id":${BIG},"ratio":0.1}}}}`;
    const fn = HogFunctionSchema().parse(parseJson(response));
    const text = serializeInputs(fn.inputs, schema);
    assert.ok(text.includes(BIG), 'the document shows every digit');
    assert.ok(text.includes('"__proto__"'), 'the document keeps the "__proto__" key');
    const parsed = parseInputsDocument(text, schema);
    assert.ok(parsed.inputs);
    const body = stringifyJson({ inputs: parsed.inputs });
    assert.ok(body.includes(`"id":${BIG}`), body);
    assert.ok(body.includes('"__proto__":{"x":1}'), body);
  });
  test('filters keep big numbers too', () => {
    const text = serializeFilters(parseJson(`{"properties":[{"key":"account","value":${BIG}}]}`) as Record<string, unknown>);
    const parsed = parseFiltersDocument(text);
    assert.ok(parsed.filters);
    assert.ok(stringifyJson(parsed.filters).includes(BIG));
  });
  test('small numbers still parse as plain numbers', () => {
    assert.deepEqual(parseJson('{"a":1.5,"b":[2]}'), { a: 1.5, b: [2] });
  });
});

describe('A6: which texts need the lossless parser', () => {
  /** A pseudo-random number literal: 1–24 digits, maybe a fraction, maybe an exponent of 1–3 digits. */
  function literal(next: () => number): string {
    const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(next() * 10))).join('');
    let s = (next() < 0.3 ? '-' : '') + String(1 + Math.floor(next() * 9)) + digits(Math.floor(next() * 20));
    if (next() < 0.5) s += '.' + digits(1 + Math.floor(next() * 12));
    if (next() < 0.3) s += (next() < 0.5 ? 'e' : 'E') + (['', '+', '-'][Math.floor(next() * 3)] ?? '') + digits(1 + Math.floor(next() * 3));
    return s;
  }
  /** A literal's value as sign, significant digits and exponent: equal iff the two literals are equal numbers. */
  function value(lit: string): string {
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(lit);
    if (!m) return lit; // Infinity
    const int = m[2] ?? '';
    const all = int + (m[3] ?? '');
    const lead = all.length - all.replace(/^0+/, '').length;
    const digits = all.slice(lead).replace(/0+$/, '');
    if (!digits) return '0';
    return `${m[1]}${digits}e${Number(m[4] ?? 0) + int.length - lead}`;
  }
  /** True when JSON.parse would change the number: the double's shortest spelling is another value. */
  const changedByDouble = (lit: string) => value(String(Number(lit))) !== value(lit);
  test('the oracle', () => {
    assert.equal(changedByDouble('12345678901234567890'), true);
    assert.equal(changedByDouble('1.5e400'), true);
    assert.equal(changedByDouble('73.10729E+85'), false);
    assert.equal(changedByDouble('0.00120'), false);
  });
  test('every literal a double would change is caught, wherever JSON puts a value', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let unsafe = 0;
    for (let i = 0; i < 5000; i++) {
      const l = literal(next);
      if (!changedByDouble(l)) continue;
      unsafe++;
      for (const text of [l, ` ${l}`, `[${l}]`, `[1, ${l}]`, `{"a":${l}}`, `{"a" :\n\t ${l}}`, `{"a":[true,\r\n${l}]}`]) {
        assert.ok(mayLosePrecision(text), text);
        assert.equal(stringifyJson(parseJson(text)).replace(/\s/g, ''), text.replace(/\s/g, ''), 'kept exactly');
      }
    }
    assert.ok(unsafe > 500, `only ${unsafe} unsafe literals were generated`);
  });
  test('ids, timestamps and code in strings take the fast parser', () => {
    const item = {
      id: '0196a2e4-7b1c-7e21-b8f0-4c2b1e9d3a57',
      uuid: '01936e12-3e456-7e890-8e123-4e5678901234',
      updated_at: '2026-06-07T22:40:00.070000Z',
      hog: "let x := 1e5\nprint('1234567890123456789')",
      ratio: 0.1234567,
      count: 123456789012345,
      small: 1e99,
    };
    const text = JSON.stringify({ results: [item, item] });
    assert.equal(mayLosePrecision(text), false);
    assert.deepEqual(parseJson(text), { results: [item, item] });
  });
});

describe('A7: group properties named like Object.prototype members', () => {
  test('removing "constructor", "toString" or "__proto__" is an unset', () => {
    const before = parseJson('{"constructor":1,"toString":"x","__proto__":{"a":1},"name":"acme"}') as Record<string, unknown>;
    const after = parseJson('{"name":"acme"}') as Record<string, unknown>;
    assert.deepEqual(
      diffProperties(before, after)
        .map((o) => `${o.kind} ${o.key}`)
        .sort(),
      ['unset __proto__', 'unset constructor', 'unset toString'],
    );
  });
  test('adding them is a set', () => {
    const after = parseGroupDocument('{"constructor":"c","__proto__":{"b":2}}').properties;
    assert.ok(after);
    assert.deepEqual(
      diffProperties({}, after).map((o) => `${o.kind} ${o.key}`),
      ['set constructor', 'set __proto__'],
    );
    assert.equal(serializeGroup(after), '{\n  "constructor": "c",\n  "__proto__": {\n    "b": 2\n  }\n}\n');
  });
});

describe('A3: a group save without a base never deletes keys it did not see removed', () => {
  const remote = { name: 'acme', plan: 'pro' };
  test('differing keys are conflicts, not deletes', () => {
    const plan = planGroupSave(undefined, remote, { name: 'ACME' }, false);
    assert.deepEqual(plan.ops, []);
    assert.deepEqual([...plan.conflicts].sort(), ['name', 'plan']);
  });
  test('a document equal to PostHog needs nothing', () => {
    assert.deepEqual(planGroupSave(undefined, remote, { plan: 'pro', name: 'acme' }, false), { ops: [], conflicts: [] });
  });
  test("with a base, only the user's own edits are sent", () => {
    const plan = planGroupSave({ name: 'acme' }, remote, { name: 'ACME' }, false);
    assert.deepEqual(plan, { ops: [{ kind: 'set', key: 'name', value: 'ACME' }], conflicts: [] });
  });
  test('with a base, a key changed on both sides is a conflict', () => {
    assert.deepEqual(planGroupSave({ name: 'a' }, { name: 'b' }, { name: 'c' }, false).conflicts, ['name']);
  });
});

describe('B1: secret values never reach messages', () => {
  test('a dictionary secret given as a string is refused without quoting it', () => {
    const text = '{ "headers": { "value": "Bearer sk_live_SECRET" } }';
    const { problems } = parseInputsDocument(text, schema);
    assert.ok(problems.some((p) => p.severity === 'error' && p.key === 'headers'));
    for (const p of problems) assert.ok(!p.message.includes('sk_live_SECRET'), p.message);
  });
  test('a choice secret is refused without quoting it', () => {
    const { problems } = parseInputsDocument('{ "mode": { "value": "sk_live_SECRET" } }', schema);
    assert.ok(problems.some((p) => p.severity === 'error'));
    for (const p of problems) assert.ok(!p.message.includes('sk_live_SECRET'), p.message);
  });
});

describe('B2 / E7: secret inputs in the document', () => {
  test('a literal secret value saves but warns that it stays readable', () => {
    const { inputs, problems } = parseInputsDocument('{ "headers": { "value": { "Authorization": "Bearer x" } } }', schema);
    assert.ok(inputs, 'a warning does not stop the save');
    assert.ok(problems.some((p) => p.severity === 'warning' && p.message.includes('Set Secret Value')));
  });
  test('an omitted secret is not warned about (PostHog keeps it)', () => {
    const { problems } = parseInputsDocument('{}', schema);
    assert.deepEqual(problems, []);
  });
});

describe('E2: comparisons as PostHog stores the fields', () => {
  test('code is trimmed at both ends', () => {
    assert.equal(canonicalCode('\n  return 1\n\n'), canonicalCode('return 1'));
  });
  test('inputs compare regardless of key order (jsonb) and server-derived fields', () => {
    const mine = '{ "a": { "value": { "Content-Type": "x", "X-Api-Key": "y" } } }';
    const stored = '{"a":{"order":0,"bytecode":["_H"],"value":{"X-Api-Key":"y","Content-Type":"x"}}}';
    assert.equal(canonicalInputs(mine), canonicalInputs(stored));
  });
  test('filters: source defaults to events', () => {
    assert.equal(canonicalFilters('{"events":[]}'), canonicalFilters('{"source":"events","events":[]}'));
    assert.notEqual(canonicalFilters('{"events":[]}'), canonicalFilters('{"source":"person-updates","events":[]}'));
  });
  test('canonical JSON sorts keys at every depth', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: 2, c: [3] } }), '{"a":{"c":[3],"d":2},"b":1}');
  });
});

describe('E8 / F14: filters and groups in words', () => {
  test('a filters JSON error is a sentence, not a parser code', () => {
    const { problems } = parseFiltersDocument('{ "a": 1, }');
    assert.match(problems[0]?.message ?? '', /^Invalid JSON: expected a property name/);
  });
  test('duplicate keys are flagged in every JSON document', () => {
    assert.match(parseFiltersDocument('{"source":"events","source":"events"}').problems[0]?.message ?? '', /Duplicate key "source"/);
    assert.match(parseGroupDocument('{"a":1,"a":2}').problems[0]?.message ?? '', /Duplicate key "a"/);
    assert.ok(parseInputsDocument('{"account":{"value":1},"account":{"value":2}}', schema).problems.some((p) => p.message.includes('Duplicate key "account"')));
  });
});

describe('D2: one odd field does not fail a whole function', () => {
  test('odd inputs_schema items and labels parse; odd inputs only stop the inputs document', () => {
    const fn = HogFunctionSchema().parse({
      id: 'f',
      updated_at: '2026-01-01T00:00:00.000000Z',
      hog: 'return 1',
      inputs: { url: 'not an object' },
      inputs_schema: [{ key: 7, type: null, choices: [{ value: 1, label: 2 }] }],
    });
    const [item] = fn.inputs_schema ?? [];
    assert.ok(item);
    assert.equal(item.key, '7');
    assert.equal(item.type, 'string');
    assert.equal(functionDocuments.code.serialize(fn), 'return 1');
    assert.throws(() => functionDocuments.inputs.serialize(fn), /input "url" in a shape this extension does not know/);
  });
});

describe('E4: POSTHOG_HOST set for the SDKs', () => {
  test('the ingestion host maps to the app host; a bare host gets https', () => {
    assert.equal(apiHostFromEnv('https://us.i.posthog.com'), 'https://us.posthog.com');
    assert.equal(apiHostFromEnv('https://eu.i.posthog.com/'), 'https://eu.posthog.com');
    assert.equal(apiHostFromEnv('us.posthog.com'), 'https://us.posthog.com');
    assert.equal(apiHostFromEnv('http://127.0.0.1:8010'), 'http://127.0.0.1:8010');
    assert.equal(apiHostFromEnv('https://posthog.example.com/prefix/'), 'https://posthog.example.com/prefix');
  });
  test('no URL at all is no host (not a crash)', () => {
    assert.equal(apiHostFromEnv('::::'), undefined);
    assert.equal(apiHostFromEnv('ftp://x'), undefined);
    assert.equal(apiHostFromEnv('  '), undefined);
  });
});

describe('E3: redirects are explained, never followed', () => {
  test('names the host to use instead', () => {
    const e = redirectError(301, 'https://eu.posthog.com/api/environments/1/', 'GET /api/environments/1/');
    assert.match(e.message, /redirects GET \/api\/environments\/1\/ to https:\/\/eu\.posthog\.com \(301\)/);
    assert.match(e.message, /sign in with https:\/\/eu\.posthog\.com as the host/);
  });
  test('without a Location it still says what to check', () => {
    assert.match(redirectError(302, null, 'GET /api/x/').message, /redirect \(302\).*check the host/);
  });
});

describe('F10: "Open in PostHog" links for group keys with "/", "%" or "#"', () => {
  test('the key is one encoded path segment, and stays so as a URL string', () => {
    const link = groupLink('https://us.posthog.com', 1, 0, 'a/b%c#d');
    assert.equal(link, 'https://us.posthog.com/project/1/groups/0/a%2Fb%25c%23d');
    // openExternal gets this exact string (a vscode.Uri would decode %2F to "/").
    assert.equal(new URL(link).pathname, '/project/1/groups/0/a%2Fb%25c%23d');
    assert.equal(new URL(link).hash, '');
  });
});
