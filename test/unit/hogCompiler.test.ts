/**
 * The Hog compiler (src/hog/compiler): PostHog's bytecode for every construct, the errors PostHog's
 * compiler raises, input templates and their order, and the source map that puts runtime errors on lines.
 *
 * Expected bytecode comes from two places: PostHog's own published results (its compiler's tests and VM
 * snapshots, quoted here as data) and this project's corpus (test/hog/compiler: every construct, its
 * bytecode and the output of running it in @posthog/hogvm). scripts/compare-posthog-compiler.mjs compares
 * with PostHog's full VM test suite (numbers in docs/hog-compiler.md).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { exec, printHogStringOutput } from '@posthog/hogvm';
import { compileProgram, type CompileResult } from '../../src/hog/compiler/compiler';
import { compileInputValue, compileTemplate, inputOrder } from '../../src/hog/compiler/inputs';
import { STL_ARITY, supportedFunctions } from '../../src/hog/compiler/stl';
import { bytecodeJson, pythonFloat } from '../../src/hog/cli';
import { parseProgram } from '../../src/hog/parser';
import { VM_EXTERNAL } from '../../src/hog/runner/external';

const CORPUS = path.resolve(__dirname, '../../../test/hog/compiler');

function compile(source: string, type = 'destination'): CompileResult {
  const parsed = parseProgram(source);
  assert.deepEqual(parsed.errors, [], 'the program parses');
  return compileProgram(parsed.program, { supportedFunctions: supportedFunctions(type), stl: STL_ARITY });
}

function body(source: string): unknown[] {
  const r = compile(source);
  assert.deepEqual(r.problems, []);
  return r.bytecode.slice(2);
}

function runPrints(bytecode: unknown[]): string {
  const lines: string[] = [];
  const result = exec(bytecode, { external: VM_EXTERNAL, functions: { print: (...v: unknown[]) => lines.push(v.map((x) => printHogStringOutput(x)).join(' ')) } });
  assert.equal(result.error, undefined, String(result.error));
  return lines.map((l) => `${l}\n`).join('');
}

describe('Hog compiler', () => {
  test("the corpus: every program compiles to its recorded bytecode and prints its recorded output in PostHog's VM", () => {
    const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.hog'));
    assert.ok(files.length >= 7);
    for (const f of files) {
      const source = fs.readFileSync(path.join(CORPUS, f), 'utf8');
      const name = f.slice(0, -4);
      const r = compile(source);
      assert.deepEqual(r.problems, [], f);
      const expected: unknown = JSON.parse(fs.readFileSync(path.join(CORPUS, `${name}.hoge`), 'utf8'));
      assert.deepEqual(r.bytecode, expected, `${f}: bytecode`);
      assert.equal(runPrints(r.bytecode), fs.readFileSync(path.join(CORPUS, `${name}.stdout`), 'utf8'), `${f}: output`);
    }
  });

  test("PostHog's bytecode: header, globals, calls, between, property assignment, closures", () => {
    // From PostHog's VM snapshots (common/hogvm/__tests__/__snapshots__) and compiler tests.
    assert.deepEqual(compile('print(1)').bytecode, ['_H', 1, 33, 1, 2, 'print', 1, 35]);
    assert.deepEqual(body('return event.properties.$browser'), [32, '$browser', 32, 'properties', 32, 'event', 1, 3, 38]);
    assert.deepEqual(body('print(5 between 1 and 10)'), [
      31,
      33,
      5,
      33,
      1,
      33,
      10,
      36,
      2,
      31,
      12,
      36,
      3,
      31,
      12,
      36,
      1,
      31,
      12,
      3,
      3,
      40,
      14,
      36,
      2,
      36,
      1,
      14,
      36,
      3,
      36,
      1,
      16,
      3,
      2,
      39,
      1,
      30,
      37,
      0,
      35,
      35,
      35,
      2,
      'print',
      1,
      35,
    ]);
    assert.deepEqual(body('print(5 not between 1 and 10)').slice(19, 37), [3, 3, 40, 14, 36, 2, 36, 1, 15, 36, 3, 36, 1, 13, 4, 2, 39, 1]);
    assert.deepEqual(body("let a := {'b': 1}\na.b := 2"), [32, 'b', 33, 1, 42, 1, 36, 0, 32, 'b', 33, 2, 46, 35]);
    // Closures: the CALLABLE header, the body, then CLOSURE with (is_local, index) per upvalue; a captured
    // local is closed (57), not popped, when its scope ends.
    assert.deepEqual(body('let x := 1\nfn f() { return x }'), [33, 1, 52, 'f', 0, 1, 3, 55, 0, 38, 53, 1, true, 0, 35, 57]);
  });

  test('input templates compile as PostHog compiles them (posthog/cdp/test/test_validation.py)', () => {
    const cases: [string, unknown[]][] = [
      ['http://localhost:2080/x', ['_H', 1, 32, 'http://localhost:2080/x']],
      ['{event}', ['_H', 1, 32, 'event', 1, 1]],
      ['{event.url}', ['_H', 1, 32, 'url', 32, 'event', 1, 2]],
      ["{f'{event.url}-test'}", ['_H', 1, 32, 'url', 32, 'event', 1, 2, 32, '-test', 2, 'concat', 2]],
      ['v={event.properties.$lib_version}', ['_H', 1, 32, 'v=', 32, '$lib_version', 32, 'properties', 32, 'event', 1, 3, 2, 'concat', 2]],
      ['a \\{b', ['_H', 1, 32, 'a {b']],
    ];
    for (const [text, expected] of cases) assert.deepEqual(compileTemplate(text).bytecode, expected, text);
    const nested = compileInputValue({ nested: { foo: '{event.url}' }, n: 42, list: ['{inputs.token}'] });
    assert.deepEqual(nested.bytecode, { nested: { foo: ['_H', 1, 32, 'url', 32, 'event', 1, 2] }, n: 42, list: [['_H', 1, 32, 'token', 32, 'inputs', 1, 2]] });
    assert.deepEqual([...nested.dependencies], ['token']);
  });

  test('templates: syntax errors are reported with their place; transformations may read only project, event, inputs', () => {
    const broken = compileInputValue({ headers: { Authorization: 'Bearer {inputs.token' } });
    assert.equal(broken.problems.length, 1);
    assert.deepEqual(broken.problems[0]?.path, ['headers', 'Authorization']);
    const t = compileInputValue('{person.properties.email} {event.event} {arrayMap(x -> x, [1])}', { functionType: 'transformation' });
    assert.deepEqual(
      t.problems.map((p) => p.message),
      ['Variable not available in transformations: person. Transformations only have access to project, event, and inputs.'],
    );
  });

  test('input order: dependencies first, otherwise the schema order; a cycle names its inputs', () => {
    const deps = new Map<string, ReadonlySet<string>>([
      ['a', new Set(['c'])],
      ['b', new Set()],
      ['c', new Set(['b'])],
    ]);
    assert.deepEqual(
      [...inputOrder(['a', 'b', 'c'], deps)],
      [
        ['b', 0],
        ['c', 1],
        ['a', 2],
      ],
    );
    assert.deepEqual(
      [...inputOrder(['one', 'two', 'three'], new Map())].map(([k]) => k),
      ['one', 'two', 'three'],
    );
    assert.throws(
      () =>
        inputOrder(
          ['x', 'y'],
          new Map([
            ['x', new Set(['y'])],
            ['y', new Set(['x'])],
          ]),
        ),
      /Circular dependency detected in input_deps\. \(inputs\.x, inputs\.y\)/,
    );
  });

  test('the errors PostHog raises, each at its node; unknown functions and wrong arity as runtime failures', () => {
    const source = [
      'let a := 1',
      'let a := 2', // 2
      'undeclared := 3', // 3
      'let arr := [1]',
      'print(arr[0])', // 5
      'try { print(1) } catch (e) { print(2) } finally { print(3) }', // 6
      'nope(1)', // 7
      "print(length('a', 'b'))", // 8
      "fetch('https://x')", // allowed for destinations
    ].join('\n');
    const r = compile(source);
    const lineOf = (offset: number): number => source.slice(0, offset).split('\n').length;
    assert.deepEqual(
      r.problems.map((p) => [lineOf(p.start), p.refusedByPostHog, p.message]),
      [
        [2, true, 'Variable `a` already declared in this scope'],
        [3, true, 'Variable "undeclared" not declared in this scope. Can not assign to globals.'],
        [5, true, 'Array access starts from 1'],
        [6, true, 'finally blocks are not yet supported'],
        [7, false, 'Hog function `nope` is not implemented'],
        [8, false, '`length` takes 1 argument, not 2: the run fails here.'],
      ],
    );
    assert.equal(compile("fetch('https://x')", 'transformation').problems[0]?.message, 'Hog function `fetch` is not implemented');
    assert.deepEqual(compile('cleanNullValues({})', 'transformation').problems, []);
    assert.match(compile('print(a in cohort 5)').problems[0]?.message ?? '', /Can't use cohorts in real-time filters.*\(cohort id=5\)/);
    assert.match(compile('print(sql(1))').problems[0]?.message ?? '', /sql\(…\) and SELECT/);
    assert.match(compile('print(1::String)').problems[0]?.message ?? '', /type cast/);
  });

  test('the source map: the first operation of every statement and every operation that can fail', () => {
    const source = "let x := 1\nprint(x)\nlet y := event.properties.a\nthrow Error('no')";
    const r = compile(source);
    const starts = new Set(r.sourceMap.map(([, start]) => source.slice(0, start).split('\n').length));
    assert.deepEqual([...starts].sort(), [1, 2, 3, 4]);
    for (const [index] of r.sourceMap) assert.equal(typeof r.bytecode[index], 'number', 'entries point at operations');
    const indexes = r.sourceMap.map(([i]) => i);
    assert.deepEqual(
      indexes,
      [...indexes].sort((a, b) => a - b),
    );
  });

  test('floats print as Python does (PostHog stores JSON written by Python)', () => {
    assert.deepEqual([1, 1.5, 0.1, 1e16, 1e-5, 123456.789, -0, 2.5e-7].map(pythonFloat), ['1.0', '1.5', '0.1', '1e+16', '1e-05', '123456.789', '-0.0', '2.5e-07']);
    const r = compile('return 1.0 + 2');
    assert.equal(bytecodeJson(r.bytecode, r.floats), '["_H", 1, 33, 2, 34, 1.0, 6, 38]');
  });

  test('compiles 40 KB of code in linear time (each copy in its own block)', () => {
    const unit = fs.readFileSync(path.join(CORPUS, 'functions_and_closures.hog'), 'utf8');
    const big = Array.from({ length: 40 }, () => `{\n${unit}\n}`).join('\n');
    const parsed = parseProgram(big);
    const started = performance.now();
    const r = compileProgram(parsed.program, { stl: STL_ARITY });
    const ms = performance.now() - started;
    assert.ok(r.bytecode.length > 10_000);
    assert.ok(ms < 200, `${ms} ms`);
  });
});
