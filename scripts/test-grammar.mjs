// Grammar tests, in plain Node (no Extension Development Host), with vscode-tmgrammar-test's engine
// (vscode-textmate + vscode-oniguruma, as in VS Code):
//   * unit assertions: test/grammar/*.test.hog and *.test.json (`// SYNTAX TEST "<scope>"` files with ^^^ lines);
//   * snapshots: test/grammar/snap/*.hog and *.json against the `<file>.snap` next to each.
// The grammars are built first (scripts/build-grammar.mjs). The registry is the one the CLIs build from
// package.json, plus test/grammar/fixtures/json.tmLanguage.json for source.json (VS Code's JSON grammar is not
// installed here), so the injection into JSON is exercised the way VS Code applies it. Equivalent CLI calls:
//   npx vscode-tmgrammar-test -g test/grammar/fixtures/json.tmLanguage.json "test/grammar/*.test.*"
//   npx vscode-tmgrammar-snap -g test/grammar/fixtures/json.tmLanguage.json -s source.hog "test/grammar/snap/*.hog"
//
//   node scripts/test-grammar.mjs              run everything; last line: `grammar: N passed, M failed`
//   node scripts/test-grammar.mjs --update     rewrite the .snap files from the current grammar
//   node scripts/test-grammar.mjs --print F    print the tokens of file F (for writing assertions)
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GRAMMAR_DIR = path.join(root, 'test', 'grammar');
const SNAP_DIR = path.join(GRAMMAR_DIR, 'snap');
const JSON_FIXTURE = path.join(GRAMMAR_DIR, 'fixtures', 'json.tmLanguage.json');
const SCOPE_BY_EXTENSION = { '.hog': 'source.hog', '.json': 'source.json' };

const args = process.argv.slice(2);
const update = args.includes('--update') || args.includes('-u');
const printIndex = args.indexOf('--print');

const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-grammar.mjs')], { stdio: 'inherit' });
if (build.status !== 0) {
  console.log('grammar: 0 passed, 1 failed (build-grammar failed)');
  process.exit(1);
}

const { createRegistry, loadConfiguration } = require('vscode-tmgrammar-test/dist/common/index.js');
const { parseGrammarTestCase, runGrammarTestCase } = require('vscode-tmgrammar-test/dist/unit/index.js');
const { getVSCodeTokens, renderSnap } = require('vscode-tmgrammar-test/dist/snapshot/index.js');

// package.json contributes source.hog and the injection (injectTo source.json); -g adds the JSON fixture.
const { grammars } = loadConfiguration(path.join(root, 'package.json'), undefined, [JSON_FIXTURE]);
const registry = createRegistry(grammars);

const rel = (p) => path.relative(root, p);
const scopeOf = (file) => SCOPE_BY_EXTENSION[path.extname(file)];
const listFiles = (dir, accept) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter(accept)
        .sort()
        .map((f) => path.join(dir, f))
    : [];

if (printIndex >= 0) {
  const file = path.resolve(args[printIndex + 1] ?? '');
  const lines = await getVSCodeTokens(registry, scopeOf(file) ?? 'source.hog', fs.readFileSync(file, 'utf8'));
  console.log(renderSnap(lines));
  process.exit(0);
}

let passed = 0;
let failed = 0;

// ─── unit assertions ─────────────────────────────────────────────────────────────────────────────

const unitFiles = listFiles(GRAMMAR_DIR, (f) => /\.test\.(hog|json)$/.test(f));
for (const file of unitFiles) {
  try {
    const testCase = parseGrammarTestCase(fs.readFileSync(file, 'utf8'));
    const failures = await runGrammarTestCase(registry, testCase);
    const count = testCase.assertions.reduce((n, a) => n + a.scopeAssertions.length, 0);
    if (failures.length === 0) {
      passed++;
      console.log(`  ok    ${rel(file)} (${count} assertions)`);
    } else {
      failed++;
      console.log(`  FAIL  ${rel(file)}: ${failures.length} of ${count} assertions`);
      for (const f of failures.slice(0, 20)) {
        const src = testCase.source[f.srcLine] ?? '';
        console.log(`        line ${f.line + 1}, columns ${f.start}-${f.end} ${JSON.stringify(src.slice(f.start, f.end))}`);
        if (f.missing.length) console.log(`          missing:    ${f.missing.join(' ')}`);
        if (f.unexpected.length) console.log(`          unexpected: ${f.unexpected.join(' ')}`);
        console.log(`          actual:     ${f.actual.join(' ')}`);
      }
    }
  } catch (err) {
    failed++;
    console.log(`  FAIL  ${rel(file)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

// ─── snapshots ───────────────────────────────────────────────────────────────────────────────────

const snapFiles = listFiles(SNAP_DIR, (f) => /\.(hog|json)$/.test(f));
for (const file of snapFiles) {
  const snapPath = `${file}.snap`;
  try {
    const lines = await getVSCodeTokens(registry, scopeOf(file), fs.readFileSync(file, 'utf8'));
    const actual = renderSnap(lines);
    const exists = fs.existsSync(snapPath);
    if (update || !exists) {
      fs.writeFileSync(snapPath, actual, 'utf8');
      passed++;
      console.log(`  ${exists ? 'updated' : 'written'} ${rel(snapPath)}`);
      continue;
    }
    const expected = fs.readFileSync(snapPath, 'utf8').replace(/\r\n/g, '\n');
    if (expected === actual) {
      passed++;
      console.log(`  ok    ${rel(file)} (snapshot, ${lines.length} lines)`);
      continue;
    }
    failed++;
    const exp = expected.split('\n');
    const act = actual.split('\n');
    console.log(`  FAIL  ${rel(file)}: tokens differ from ${rel(snapPath)} (run with --update if intended)`);
    let shown = 0;
    for (let i = 0; i < Math.max(exp.length, act.length) && shown < 12; i++) {
      if (exp[i] !== act[i]) {
        shown++;
        console.log(`        snap line ${i + 1}\n          expected: ${exp[i] ?? '<none>'}\n          actual:   ${act[i] ?? '<none>'}`);
      }
    }
  } catch (err) {
    failed++;
    console.log(`  FAIL  ${rel(file)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

if (unitFiles.length + snapFiles.length === 0) {
  failed++;
  console.log('  FAIL  no grammar tests found under test/grammar/');
}

console.log(`grammar: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
