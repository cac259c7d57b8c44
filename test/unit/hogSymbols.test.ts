/**
 * Scope analysis of Hog programs (src/hog/symbols.ts): declarations, references and Hog's block scoping.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { nameProblem, parseProgram } from '../../src/hog/parser';
import { analyzeSymbols } from '../../src/hog/symbols';

function analyze(source: string) {
  return analyzeSymbols(parseProgram(source).program, source);
}
/** Every place `name` is used as the symbol declared at its `nth` declaration, as "line:col" strings. */
function places(source: string, at: number): string[] {
  const s = analyze(source).at(at);
  assert.ok(s, `a symbol at ${at}`);
  return [s.declaration, ...s.references].map(([a]) => {
    const before = source.slice(0, a).split('\n');
    return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
  });
}

describe('Hog symbols', () => {
  test('a variable: its declaration and every use, not the globals or the library', () => {
    const src = "let url := inputs.url\nlet res := fetch(url, {'method': 'POST'})\nprint(url, res.status)\nurl := concat(url, '?x')";
    const s = analyze(src);
    assert.deepEqual(
      s.symbols.map((x) => [x.name, x.kind, x.topLevel]),
      [
        ['url', 'variable', true],
        ['res', 'variable', true],
      ],
    );
    assert.deepEqual(places(src, src.indexOf('url')), ['1:5', '2:18', '3:7', '4:1', '4:15']);
    assert.equal(s.at(src.indexOf('inputs')), undefined, 'globals are declared nowhere');
    assert.equal(s.at(src.indexOf('fetch')), undefined, 'nor library functions');
    assert.equal(s.at(src.indexOf('status')), undefined, 'a property is not the variable');
  });

  test('block scoping: an inner let hides an outer one; `let x := x` reads the outer x', () => {
    const src = 'let x := 1\nif (true) {\n  let x := x + 1\n  print(x)\n}\nprint(x)';
    assert.deepEqual(places(src, src.indexOf('x')), ['1:5', '3:12', '6:7']);
    assert.deepEqual(places(src, src.indexOf('let x', 5) + 4), ['3:7', '4:9']);
  });

  test('functions: recursion, parameters, lambdas, loops and caught errors', () => {
    const src = [
      'fun fact(n) {',
      '  if (n <= 1) return 1',
      '  return n * fact(n - 1)',
      '}',
      'let doubled := arrayMap(x -> x * 2, [1, 2])',
      'for (let k, v in {}) { print(k, v) }',
      'try { throw Error() } catch (e: Error) { print(e) }',
      'print(fact(5))',
    ].join('\n');
    assert.deepEqual(places(src, src.indexOf('fact')), ['1:5', '3:14', '8:7']);
    assert.deepEqual(places(src, src.indexOf('n)')), ['1:10', '2:7', '3:10', '3:19']);
    assert.deepEqual(places(src, src.indexOf('x ->')), ['5:25', '5:30']);
    assert.deepEqual(places(src, src.indexOf('k,')), ['6:10', '6:30']);
    assert.deepEqual(places(src, src.indexOf('v in')), ['6:13', '6:33']);
    assert.deepEqual(places(src, src.indexOf('(e:') + 1), ['7:30', '7:48']);
    const { symbols } = analyze(src);
    const fact = symbols.find((s) => s.name === 'fact');
    assert.equal(fact?.kind, 'function');
    assert.equal(symbols.find((s) => s.name === 'n')?.container, fact, 'a parameter belongs to its function');
  });

  test('inside an embedded query only {placeholders} are Hog: columns named like a variable are not its uses', () => {
    const src = 'let event := 1\nlet q := (select event, count() from events where x = {event} group by event)\nprint(q)';
    assert.deepEqual(places(src, src.indexOf('event')), ['1:5', '2:56']);
  });

  test('a quoted name is a use of the variable ("x" and `x` are identifiers in Hog)', () => {
    const src = 'let x := 1\nprint("x", `x`, \'x\')';
    assert.deepEqual(places(src, src.indexOf('x')), ['1:5', '2:8', '2:13']);
  });

  test('what can be a new name: one plain identifier, not reserved, not a word that reads as something else', () => {
    assert.deepEqual(
      ['payload', '$x', '_a1', 'name', 'values', 'let', 'FUN', 'except', 'null', 'true', 'return', '1a', 'a b', 'a.b', 'é', ''].map((n) => [n, nameProblem(n) ?? 'ok']),
      [
        ['payload', 'ok'],
        ['$x', 'ok'],
        ['_a1', 'ok'],
        ['name', 'ok'],
        ['values', 'ok'],
        ['let', 'reserved'],
        ['FUN', 'reserved'],
        ['except', 'reserved'],
        ['null', 'reserved'],
        ['true', 'reserved'],
        ['return', 'reserved'],
        ['1a', 'not-a-name'],
        ['a b', 'not-a-name'],
        ['a.b', 'not-a-name'],
        ['é', 'not-a-name'],
        ['', 'not-a-name'],
      ],
    );
  });

  test('every realistic program of the corpus: each reference names its symbol', () => {
    const dir = path.resolve(__dirname, '../../../test/hog/corpus/valid');
    for (const f of fs.readdirSync(dir).filter((n) => n.startsWith('real_'))) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const s of analyze(src).symbols) {
        for (const [a, b] of [s.declaration, ...s.references]) assert.equal(src.slice(a, b), s.name, `${f}: ${s.name} at ${a}`);
      }
    }
  });
});
