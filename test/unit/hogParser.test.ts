/**
 * Our Hog parser (src/hog/) against PostHog's own (`@posthog/hogql-parser`, WASM) as the oracle, on the
 * project's corpus (test/hog/corpus: original programs, every construct): the same AST, node for node
 * and position for position; every invalid program reported; random cuts and edits never crash it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import type { HogQLParser } from '@posthog/hogql-parser';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import hogqlParser = require('@posthog/hogql-parser');
import { parseProgram } from '../../src/hog/parser';
import { tokenize } from '../../src/hog/lexer';

const CORPUS = path.resolve(__dirname, '../../../test/hog/corpus');
const read = (dir: string): { name: string; source: string }[] =>
  fs
    .readdirSync(path.join(CORPUS, dir))
    .filter((f) => f.endsWith('.hog'))
    .sort()
    .map((name) => ({ name, source: fs.readFileSync(path.join(CORPUS, dir, name), 'utf8') }));

/** The first difference between two JSON values, as a path and both sides; undefined when equal. */
function firstDifference(oracle: unknown, ours: unknown, at = '$'): string | undefined {
  if (Array.isArray(oracle) && Array.isArray(ours)) {
    if (oracle.length !== ours.length) return `${at}: ${oracle.length} items in PostHog's, ${ours.length} in ours`;
    for (let i = 0; i < oracle.length; i++) {
      const d = firstDifference(oracle[i], ours[i], `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (oracle && ours && typeof oracle === 'object' && typeof ours === 'object' && !Array.isArray(oracle) && !Array.isArray(ours)) {
    const a = oracle as Record<string, unknown>;
    const b = ours as Record<string, unknown>;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${at}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return oracle === ours ? undefined : `${at}: PostHog's ${JSON.stringify(oracle)}, ours ${JSON.stringify(ours)}`;
}

/** A deterministic pseudo-random sequence (the fuzz cases are the same on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('Hog parser', () => {
  let oracle: HogQLParser;
  before(async () => {
    oracle = await hogqlParser.default();
  });

  test("the same AST as PostHog's parser on every valid program of the corpus (positions included)", () => {
    const valid = read('valid');
    assert.ok(valid.length >= 70, `corpus: ${valid.length} programs`);
    const different: string[] = [];
    let equal = 0;
    for (const { name, source } of valid) {
      const theirs: unknown = JSON.parse(oracle.parseProgram(source));
      assert.ok(!(theirs && typeof theirs === 'object' && 'error' in theirs), `${name} is valid for PostHog`);
      const { program, errors } = parseProgram(source);
      const ours: unknown = JSON.parse(JSON.stringify(program));
      const d = errors.length ? `errors: ${errors.map((e) => e.message).join('; ')}` : firstDifference(theirs, ours);
      if (!d) equal++;
      else different.push(`${name}: ${d}`);
    }
    assert.deepEqual(different, [], 'programs whose AST differs');
    assert.equal(equal, valid.length, 'every program of the corpus, embedded SELECT queries included');
  });

  test("the same AST as PostHog's parser for every one-line program of snippets.txt (precedence, ANTLR's choices)", () => {
    const lines = fs
      .readFileSync(path.join(CORPUS, 'snippets.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    assert.ok(lines.length >= 90, `${lines.length} snippets`);
    const different: string[] = [];
    for (const line of lines) {
      const theirs: unknown = JSON.parse(oracle.parseProgram(line));
      const { program, errors } = parseProgram(line);
      const theyFail = !!theirs && typeof theirs === 'object' && 'error' in theirs;
      if (theyFail || errors.length) {
        if (theyFail !== errors.length > 0) different.push(`${line}: PostHog ${theyFail ? 'rejects' : 'accepts'}, ours ${errors.length ? 'rejects' : 'accepts'}`);
        continue;
      }
      const d = firstDifference(theirs, JSON.parse(JSON.stringify(program)));
      if (d) different.push(`${line}: ${d}`);
    }
    assert.deepEqual(different, []);
  });

  test('every invalid program of the corpus is reported, each error inside the source', () => {
    for (const { name, source } of read('invalid')) {
      const theirs: unknown = JSON.parse(oracle.parseProgram(source));
      assert.ok(theirs && typeof theirs === 'object' && 'error' in theirs, `${name} is invalid for PostHog`);
      const { errors } = parseProgram(source);
      assert.ok(errors.length > 0, `${name}: no error reported`);
      for (const e of errors) assert.ok(e.start >= 0 && e.end >= e.start && e.end <= source.length, `${name}: range ${e.start}-${e.end}`);
      // Where the corpus says the mistake is (`// expect: … on line N`), the first error is on that line.
      const stated = /line (\d+)/.exec(source.split('\n')[0] ?? '')?.[1];
      const first = errors[0];
      if (stated && first) assert.equal(source.slice(0, first.start).split('\n').length, Number(stated), `${name}: ${first.message}`);
    }
  });

  test('errors say what is wrong, where it was opened, in plain words; one per statement', () => {
    const messages = (src: string) => parseProgram(src).errors.map((e) => `${e.start}: ${e.message}`);
    assert.deepEqual(messages("let a := 1\nprint(a, 'x'\nlet b := 2"), ['22: expected ")" to close the "(" opened at 2:6']);
    assert.deepEqual(messages('fun f() {\n  return 1\n'), ['8: "{" is never closed: expected "}" before the end of the code']);
    assert.deepEqual(messages('let s := "a\\d"'), ['9: strings use single quotes: "a\\d" is a name (an identifier), and "\\d" is no escape in it']);
    assert.deepEqual(messages('let x = 1'), ['6: Hog assigns with ":=": write "let x := …"']);
    assert.deepEqual(messages('if (!a) {}'), ['4: unexpected "!": Hog negates with "not" and compares with "!="']);
    // Two broken statements, two errors; the good one between them parses.
    const r = parseProgram('print(1 +)\nlet ok := 2\nlet y := [1, 2\n');
    assert.equal(r.errors.length, 2, JSON.stringify(r.errors));
    assert.ok(r.program.declarations.some((d) => d.node === 'VariableDeclaration' && d.name === 'ok'));
    // A broken if condition does not hide a mistake in its body.
    assert.deepEqual(messages('if (a == ) {\n  print(1 +)\n}'), ['9: expected an expression, found ")"', '24: expected an expression, found ")"']);
    assert.deepEqual(messages('if (a b) {\n  print(1 +)\n}'), ['6: expected ")" to close the "(" opened at 1:4, found "b"', '22: expected an expression, found ")"']);
    assert.deepEqual(messages('let a := 1\n}\nlet b := 2'), ['11: unexpected "}": there is no "{" open here']);
    // The bracket an error is about travels with it (editors show it as related information).
    assert.deepEqual(parseProgram('let a := 1\nprint(a, 2\nlet b := 2').errors[0]?.related, { start: 16, end: 17, message: 'the "(" opened here' });
    // A call left open inside a block: one error, at the end of its line; the block's "}" still closes the block.
    assert.deepEqual(messages('fun h(v) {\n  return f(v(\n}\nprint(1)'), ['23: expected ")" to close the "(" opened at 2:13']);
    assert.deepEqual(messages("print(concat('a' 'b'))"), ['17: expected "," between the arguments of the "(" opened at 1:13, found the string \'b\'']);
  });

  test('fuzz: 10,000 random cuts and edits of the corpus never throw, always give a Program, in linear time', () => {
    const sources = [...read('valid'), ...read('invalid')].map((f) => f.source);
    const next = random(15);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const snippets = ['(', ')', '{', '}', '[', ']', "'", "f'", '"', '`', ',', ':=', '->', '?', ':', 'let ', 'fun ', 'if (', '/*', '--', '<a ', '</a>', '\\', '\n', 'é😀'];
    let longest = 0;
    let totalMs = 0;
    let totalKB = 0;
    for (let i = 0; i < 10000; i++) {
      let s = pick(sources);
      const a = Math.floor(next() * s.length);
      const b = Math.min(s.length, a + Math.floor(next() * 40));
      switch (i % 4) {
        case 0:
          s = s.slice(0, a); // cut
          break;
        case 1:
          s = s.slice(0, a) + s.slice(b); // delete
          break;
        case 2:
          s = s.slice(0, a) + pick(snippets) + s.slice(a); // insert
          break;
        default:
          s = s.slice(0, a) + s.slice(b, b + (b - a)) + s.slice(a); // move text
      }
      const started = performance.now();
      const r = parseProgram(s);
      const ms = performance.now() - started;
      longest = Math.max(longest, ms);
      totalMs += ms;
      totalKB += s.length / 1024;
      assert.equal(r.program.node, 'Program');
      for (const e of r.errors) assert.ok(e.start >= 0 && e.end <= s.length && e.start <= e.end);
    }
    // Linear: a few ms per KB on average, no single case near a second (a quadratic one takes seconds on
    // 46 KB). Per-case ratios are not asserted: one GC pause on a tiny input would dominate them.
    assert.ok(totalMs / totalKB < 10, `${(totalMs / totalKB).toFixed(2)} ms per KB on average`);
    assert.ok(longest < 1000, `worst case ${longest.toFixed(0)} ms`);
  });

  test('no superlinear blow-up: 8× the code costs about 8× the time, never 64×', () => {
    const unit = read('valid').find((f) => f.name === 'real_dest_hubspot_contact.hog')?.source ?? '';
    const time = (src: string): number => {
      let best = Infinity;
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        parseProgram(src);
        best = Math.min(best, performance.now() - t);
      }
      return best;
    };
    // Deeply nested and long inputs: brackets and blocks that never close, long operator chains.
    for (const [name, make] of [
      ['repeated program', (n: number) => unit.repeat(n)],
      ['unclosed brackets', (n: number) => '('.repeat(200 * n)],
      ['nested blocks', (n: number) => 'if (a) {'.repeat(100 * n)],
      ['operator chain', (n: number) => `let x := ${'a + '.repeat(500 * n)}1`],
      ['unclosed dicts', (n: number) => '{'.repeat(100 * n)],
      ['nested lambda blocks', (n: number) => 'f(x -> { g(y -> { '.repeat(50 * n)],
      ['nested far too deeply', (n: number) => '['.repeat(5000 * n)],
      ['blocks far too deep', (n: number) => '{ if (a) while (b) '.repeat(400 * n)],
    ] as const) {
      time(make(1));
      const one = time(make(1));
      const eight = time(make(8));
      // Linear is 8× (allocation, GC and other tests running in parallel add some); quadratic is 64×.
      assert.ok(eight < Math.max(one, 1) * 32, `${name}: ${one.toFixed(2)} ms → ${eight.toFixed(2)} ms for 8×`);
    }
  });

  test("the lexer follows PostHog's modes: f-strings with holes, tags, comments, keywords in any case", () => {
    const kinds = (src: string) => tokenize(src).map((t) => `${t.kind}:${t.text}`);
    assert.deepEqual(kinds("f'a{b}c'"), ["templateStart:f'", 'templateText:a', 'holeStart:{', 'identifier:b', 'punctuation:}', 'templateText:c', "templateEnd:'", 'eof:']);
    assert.deepEqual(kinds('a -- c\n/* x */ b'), ['identifier:a', 'identifier:b', 'eof:']);
    assert.deepEqual(kinds('a < b <c/>'), ['identifier:a', 'punctuation:<', 'identifier:b', 'tagOpen:<', 'identifier:c', 'punctuation:/>', 'eof:']);
    assert.equal(tokenize('LeT')[0]?.keyword, 'LET');
    assert.deepEqual(kinds('1.5e3 0x1F 010 .5'), ['float:1.5e3', 'hexadecimal:0x1F', 'octal:010', 'punctuation:.', 'decimal:5', 'eof:']);
  });
});
