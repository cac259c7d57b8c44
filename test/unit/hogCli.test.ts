/**
 * The Hog command line (src/hog/cli.ts, bundled as dist/hog.js): `parse` prints the AST byte for byte as
 * PostHog's parser does; `check` prints file:line:col: message lines; exit codes say what happened.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import type { HogQLParser } from '@posthog/hogql-parser';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import hogqlParser = require('@posthog/hogql-parser');
import { formatDouble, main } from '../../src/hog/cli';

const VALID = path.resolve(__dirname, '../../../test/hog/corpus/valid');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(
    args,
    (s) => (out += s),
    (s) => (err += `${s}\n`),
  );
  return { code, out, err };
}

describe('hog command line', () => {
  let oracle: HogQLParser;
  before(async () => {
    oracle = await hogqlParser.default();
  });

  test("parse prints exactly what PostHog's parseProgram returns, byte for byte, for the corpus", async () => {
    const files = fs.readdirSync(VALID).filter((f) => f.endsWith('.hog'));
    assert.ok(files.length >= 70);
    for (const f of files) {
      const file = path.join(VALID, f);
      const r = await run(['parse', file]);
      assert.equal(r.code, 0, `${f}: ${r.err}`);
      assert.equal(r.out, oracle.parseProgram(fs.readFileSync(file, 'utf8')), f);
    }
  });

  test('check prints every syntax error as file:line:col: message and exits 1; usage errors exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hog-cli-'));
    try {
      const bad = path.join(dir, 'bad.hog');
      fs.writeFileSync(bad, "let a := 1\nprint(a, 'x'\nlet b := [1, 2\n");
      const good = path.join(dir, 'good.hog');
      fs.writeFileSync(good, 'return 1');
      const r = await run(['check', good, bad]);
      assert.equal(r.code, 1);
      assert.equal(r.out, '');
      assert.deepEqual(r.err.trim().split('\n'), [
        `${bad}:2:12: expected ")" to close the "(" opened at 2:6`,
        `${bad}:3:10: "[" is never closed: expected "]" before the end of the code`,
      ]);
      assert.equal((await run(['check', good])).code, 0);
      assert.equal((await run(['parse', bad])).out, '', 'no AST for a program with errors');
      assert.equal((await run(['parse'])).code, 2);
      assert.equal((await run(['frobnicate', good])).code, 2);
      assert.equal((await run(['compile', good, good])).code, 2, 'compile takes one file');
      const missing = await run(['check', path.join(dir, 'missing.hog')]);
      assert.equal(missing.code, 1);
      assert.match(missing.err, /missing\.hog: cannot read/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('compile prints the bytecode, run prints what print prints (the corpus); check reports compile errors', async () => {
    const corpus = path.resolve(__dirname, '../../../test/hog/compiler');
    for (const name of ['loops', 'functions_and_closures']) {
      const compiled = await run(['compile', path.join(corpus, `${name}.hog`)]);
      assert.equal(compiled.code, 0, compiled.err);
      assert.deepEqual(JSON.parse(compiled.out), JSON.parse(fs.readFileSync(path.join(corpus, `${name}.hoge`), 'utf8')));
      let printed = '';
      const code = await main(
        ['run', path.join(corpus, `${name}.hog`)],
        (line) => (printed += `${line}\n`),
        () => undefined,
      );
      assert.equal(code, 0);
      assert.equal(printed, fs.readFileSync(path.join(corpus, `${name}.stdout`), 'utf8'));
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hog-cli-'));
    try {
      const file = path.join(dir, 'dup.hog');
      fs.writeFileSync(file, 'let a := 1\nlet a := 2\nnope()\n');
      const r = await run(['check', file]);
      assert.equal(r.code, 1);
      assert.deepEqual(r.err.trim().split('\n'), [`${file}:2:1: Variable \`a\` already declared in this scope`, `${file}:3:1: Hog function \`nope\` is not implemented`]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('run --globals --inputs runs a hog function as PostHog does: log lines, then the returned value', async () => {
    const dir = path.resolve(__dirname, '../../../test/hog/functions');
    let printed = '';
    let errors = '';
    const code = await main(
      ['run', path.join(dir, 'destination.hog'), '--globals', path.join(dir, 'pageview.event.json'), '--inputs', path.join(dir, 'destination.inputs.json')],
      (line) => (printed += `${line}\n`),
      (line) => (errors += `${line}\n`),
    );
    assert.equal(code, 0, errors);
    const lines = printed.trim().split('\n');
    assert.equal(lines[0], "INFO  Async function 'fetch' was mocked with arguments:");
    assert.ok(printed.includes('"Authorization": "Bearer ***REDACTED***"'));
    assert.ok(!printed.includes('sk_live_123456789'));
    assert.equal(lines[lines.length - 1], 'returned: 200');
    const missing = await run(['run', path.join(dir, 'destination.hog'), '--globals', path.join(dir, 'nope.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope\.json: cannot read/);
    assert.equal((await run(['run', path.join(dir, 'destination.hog'), '--globals'])).code, 2);
  });

  test('floats print as C\'s %.17g with ".0" (as PostHog does)', () => {
    assert.deepEqual([1.5, 0.1, 1, 1e16, 1e17, 0.00001, -2.5, 1e-7, 1e300].map(formatDouble), [
      '1.5',
      '0.10000000000000001',
      '1.0',
      '10000000000000000.0',
      '1e+17',
      '1.0000000000000001e-05',
      '-2.5',
      '9.9999999999999995e-08',
      '1.0000000000000001e+300',
    ]);
  });
});
