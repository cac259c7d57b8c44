/**
 * Suite imported by test/unit/standin.test.ts (not a *.test file itself, so it runs once).
 * The stand-in's demo data: every seeded program is real (parses with @posthog/hogql-parser or
 * transpiles as TypeScript), seeding is deterministic, and 10,000 extra functions seed and list
 * fast. Timings are reported as test diagnostics.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { containsPlaceholder, parseHogProgram, parseHogTemplate, transpileTypeScript } from '../compilers';
import { createSeedState, DEMO_IDS, DEMO_KEYS, DEMO_LISTABLE_COUNTS } from '../data';
import { ADS_PIXEL_SITE_JS, ADS_PIXEL_SITE_TS, NOTIFICATION_BAR_JS, NOTIFICATION_BAR_TS } from '../hogSources';
import { JAVASCRIPT_TYPES, mergeInputs } from '../inputs';
import { startStandIn } from '../server';
import { obj, str } from '../testClient';

describe('stand-in: demo data and scale', () => {
  function strings(value: unknown, out: string[] = []): string[] {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) for (const v of value) strings(v, out);
    else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) strings(v, out);
    return out;
  }

  test('every seeded and template Hog program parses; site code transpiles', async () => {
    const state = createSeedState({ extraFunctions: 1 });
    const programs = [
      ...[...state.hogFunctions.values()].map((fn) => ({ name: fn.name ?? fn.id, type: fn.type, code: fn.hog })),
      ...[...state.templates.values()].map((t) => ({ name: t.id, type: t.type, code: t.code })),
    ];
    for (const p of programs) {
      if (JAVASCRIPT_TYPES.has(p.type)) {
        assert.ok((await transpileTypeScript(p.code)).ok, `${p.name} transpiles`);
        continue;
      }
      const parsed = await parseHogProgram(p.code);
      assert.ok(parsed.ok, `${p.name} parses: ${parsed.ok ? '' : parsed.message}`);
      assert.ok(!containsPlaceholder(parsed.ast), `${p.name} has no placeholders`);
    }
  });

  test('every seeded input string is a valid Hog template', async () => {
    const state = createSeedState();
    for (const fn of state.hogFunctions.values()) {
      for (const [key, input] of Object.entries(mergeInputs(fn.inputs, fn.encrypted_inputs))) {
        if (fn.inputs_schema.find((s) => s.key === key)?.templating === false) continue;
        for (const text of strings(input.value)) {
          const parsed = await parseHogTemplate(text);
          assert.ok(parsed.ok, `${fn.name ?? fn.id}.${key}: ${text}`);
        }
      }
    }
  });

  test('stored transpiled JS of the seeded site functions matches TypeScript output', async () => {
    for (const [ts, js] of [
      [NOTIFICATION_BAR_TS, NOTIFICATION_BAR_JS],
      [ADS_PIXEL_SITE_TS, ADS_PIXEL_SITE_JS],
    ] as const) {
      const out = await transpileTypeScript(ts);
      assert.ok(out.ok);
      assert.equal(out.js, js);
    }
  });

  test('seeding is deterministic', () => {
    const a = createSeedState({ extraFunctions: 20 });
    const b = createSeedState({ extraFunctions: 20 });
    assert.deepEqual([...a.hogFunctions.values()], [...b.hogFunctions.values()]);
    assert.deepEqual([...a.groups.entries()], [...b.groups.entries()]);
    assert.ok(a.hogFunctions.has(DEMO_IDS.emailCampaign));
  });

  test('10,000 extra functions: fast seeding and listing all pages over HTTP', async (t) => {
    // Best of three: the first run also pays for JIT warm-up.
    let seedMs = Infinity;
    for (let i = 0; i < 3; i++) {
      const seedStart = performance.now();
      createSeedState({ extraFunctions: 10_000 });
      seedMs = Math.min(seedMs, performance.now() - seedStart);
    }

    const startStart = performance.now();
    const standIn = await startStandIn({ extraFunctions: 10_000 });
    const startMs = performance.now() - startStart;
    try {
      const listStart = performance.now();
      let url: string | null = `${standIn.url}/api/environments/1/hog_functions/`;
      let pages = 0;
      let items = 0;
      let count = 0;
      while (url) {
        const res = await fetch(url, { headers: { authorization: `Bearer ${DEMO_KEYS.fullAccess}` } });
        const page = obj(await res.json());
        count = Number(page.count);
        items += (page.results as unknown[]).length;
        url = page.next === null ? null : str(page.next);
        pages++;
      }
      const listMs = performance.now() - listStart;
      t.diagnostic(`seed 10k: ${seedMs.toFixed(0)} ms; start with 10k: ${startMs.toFixed(0)} ms; list ${pages} pages: ${listMs.toFixed(0)} ms`);
      assert.equal(count, 10_000 + DEMO_LISTABLE_COUNTS.production);
      assert.equal(items, count);
      assert.equal(pages, Math.ceil(count / 100));
      // Generous bounds: these run on shared CI machines; typical values are far lower.
      assert.ok(seedMs < 1000, `seeding took ${seedMs} ms`);
      assert.ok(listMs < 15_000, `listing took ${listMs} ms`);
    } finally {
      await standIn.close();
    }
  });
});
