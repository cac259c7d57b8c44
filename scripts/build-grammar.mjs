// Builds syntaxes/hog.tmLanguage.json from the hand-written syntaxes/hog.tmLanguage.src.json, and
// src/language/stlNames.generated.ts (names, arity and docs of the Hog standard library).
//
// The standard library names come from the installed @posthog/hogvm (its exported STL and ASYNC_STL,
// plus the stl.json contract or its generated stlSpec.ts when the package ships them), never from a
// hand-kept list, so upgrading the VM upgrades highlighting and completion.
//
// Idempotent: files are only written when their content changes. Every regex of the output is compiled
// with vscode-oniguruma (the engine VS Code uses), so a broken pattern fails the build, not the editor.
//
//   node scripts/build-grammar.mjs           build
//   node scripts/build-grammar.mjs --check   exit 1 if a generated file is out of date (CI)
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

const SOURCE = path.join(root, 'syntaxes', 'hog.tmLanguage.src.json');
const GRAMMAR_OUT = path.join(root, 'syntaxes', 'hog.tmLanguage.json');
const STL_OUT = path.join(root, 'src', 'language', 'stlNames.generated.ts');

/** Words the lexer reads as keywords or word operators: STL functions of the same name (if, and, not…) stay keywords. */
const HOG_KEYWORDS = new Set([
  'let',
  'fn',
  'fun',
  'if',
  'else',
  'while',
  'for',
  'in',
  'return',
  'throw',
  'try',
  'catch',
  'finally',
  'and',
  'or',
  'not',
  'like',
  'ilike',
  'is',
  'between',
  'true',
  'false',
  'null',
]);

const IDENT_CHAR = 'A-Za-z0-9_$';
const MACROS = {
  ID: `[A-Za-z_$][${IDENT_CHAR}]*`,
  NB: `(?<![${IDENT_CHAR}])`,
  NA: `(?![${IDENT_CHAR}])`,
};

// ─── Standard library ────────────────────────────────────────────────────────────────────────────

/** Arity from stl.json (the contract) if shipped, else from src/stl/stlSpec.ts (generated from it). */
function readSpecArity(pkgDir) {
  const arity = new Map();
  const jsonCandidates = ['stl.json', 'spec/stl.json', 'dist/stl.json', 'src/stl/stl.json'].map((p) => path.join(pkgDir, p));
  const jsonPath = jsonCandidates.find((p) => fs.existsSync(p));
  if (jsonPath) {
    const spec = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
    const entries = Array.isArray(spec) ? spec.map((e) => [e.name, e]) : Object.entries(spec.functions ?? spec);
    for (const [name, e] of entries) {
      if (typeof name === 'string' && e && typeof e === 'object') {
        arity.set(name, { minArgs: e.minArgs ?? e.min_args, maxArgs: e.maxArgs ?? e.max_args ?? null });
      }
    }
    return { arity, source: path.relative(root, jsonPath) };
  }
  const tsPath = path.join(pkgDir, 'src', 'stl', 'stlSpec.ts');
  if (fs.existsSync(tsPath)) {
    const text = fs.readFileSync(tsPath, 'utf8');
    for (const m of text.matchAll(/^\s*(\w+):\s*\{\s*minArgs:\s*(\d+),\s*maxArgs:\s*(\d+|null)\s*\}/gm)) {
      arity.set(m[1], { minArgs: Number(m[2]), maxArgs: m[3] === 'null' ? null : Number(m[3]) });
    }
    return { arity, source: path.relative(root, tsPath) };
  }
  return { arity, source: undefined };
}

function loadStl() {
  const hogvm = require('@posthog/hogvm');
  const pkgDir = path.dirname(require.resolve('@posthog/hogvm/package.json'));
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const { arity: specArity, source: specSource } = readSpecArity(pkgDir);

  const byName = new Map();
  const add = (name, fn, isAsync) => {
    const spec = specArity.get(name);
    const prev = byName.get(name);
    byName.set(name, {
      name,
      // The runtime entry wins; the spec fills what it leaves out (maxArgs undefined means variadic there too).
      minArgs: fn?.minArgs ?? spec?.minArgs ?? prev?.minArgs ?? 0,
      maxArgs: fn && 'maxArgs' in fn && fn.maxArgs !== undefined ? fn.maxArgs : spec ? spec.maxArgs : (prev?.maxArgs ?? null),
      async: isAsync || (prev?.async ?? false),
      description: typeof fn?.description === 'string' ? fn.description : prev?.description,
      example: typeof fn?.example === 'string' ? fn.example : prev?.example,
    });
  };
  for (const [name, fn] of Object.entries(hogvm.STL ?? {})) add(name, fn, false);
  for (const [name, fn] of Object.entries(hogvm.ASYNC_STL ?? {})) add(name, fn, true);
  for (const name of specArity.keys()) if (!byName.has(name)) add(name, undefined, false);

  const all = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (all.length < 50) throw new Error(`@posthog/hogvm exposes only ${all.length} STL functions: has its API changed?`);
  return { all, version, specSource };
}

// ─── Grammar ─────────────────────────────────────────────────────────────────────────────────────

const REGEX_KEYS = new Set(['match', 'begin', 'end', 'while']);

function expand(value, macros, where) {
  if (Array.isArray(value)) return value.map((v, i) => expand(v, macros, `${where}[${i}]`));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (REGEX_KEYS.has(k) && typeof v === 'string') {
        const expanded = v.replace(/\{\{([A-Z_]+)\}\}/g, (_, name) => {
          if (!(name in macros)) throw new Error(`${where}.${k}: unknown macro {{${name}}}`);
          return macros[name];
        });
        out[k] = expanded;
      } else {
        out[k] = expand(v, macros, `${where}.${k}`);
      }
    }
    return out;
  }
  return value;
}

function collectRegexes(node, where, out) {
  if (Array.isArray(node)) node.forEach((n, i) => collectRegexes(n, `${where}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (REGEX_KEYS.has(k) && typeof v === 'string') out.push({ where: `${where}.${k}`, source: v });
      else collectRegexes(v, `${where}.${k}`, out);
    }
  }
  return out;
}

async function validateRegexes(grammar) {
  const onig = require('vscode-oniguruma');
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  for (const { where, source } of collectRegexes(grammar, '$', [])) {
    if (source.includes('{{')) throw new Error(`${where}: unexpanded macro in ${source}`);
    try {
      new onig.OnigScanner([source]).dispose();
    } catch (err) {
      throw new Error(`${where}: invalid regex ${JSON.stringify(source)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function buildGrammar(stl, version) {
  const src = JSON.parse(fs.readFileSync(SOURCE, 'utf8'));
  const names = stl.map((f) => f.name).filter((n) => !HOG_KEYWORDS.has(n.toLowerCase()));
  for (const n of names) if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(n)) throw new Error(`unexpected STL name ${n}`);
  const macros = { ...MACROS, STL_FUNCTIONS: names.join('|') };
  // The source's comments describe the macros, which the output no longer has.
  const { $schema, ...rest } = src;
  delete rest.comment;
  const grammar = {
    $schema,
    information_for_contributors: [
      'GENERATED by scripts/build-grammar.mjs from syntaxes/hog.tmLanguage.src.json: edit the source, then run the script.',
      `Standard library names from @posthog/hogvm ${version} (${names.length} functions).`,
    ],
    ...expand(rest, macros, '$'),
  };
  return grammar;
}

// ─── stlNames.generated.ts ───────────────────────────────────────────────────────────────────────

function renderStlModule(stl, version, specSource) {
  const lines = [
    '// GENERATED by scripts/build-grammar.mjs from @posthog/hogvm ' + version + ' (STL, ASYNC_STL' + (specSource ? `, ${specSource.replace(/^node_modules\//, '')}` : '') + ').',
    '// Do not edit: run `node scripts/build-grammar.mjs`.',
    '',
    'export interface StlFunctionInfo {',
    '  readonly name: string;',
    '  readonly minArgs: number;',
    '  /** null: any number of arguments. */',
    '  readonly maxArgs: number | null;',
    '  /** true for functions that suspend the VM (ASYNC_STL). */',
    '  readonly async: boolean;',
    '  readonly description?: string;',
    '  /** Call template from the VM, with $1, $2… for the arguments. */',
    '  readonly example?: string;',
    '}',
    '',
    `export const HOGVM_VERSION = ${JSON.stringify(version)};`,
    '',
    'export const STL_FUNCTIONS: readonly StlFunctionInfo[] = [',
  ];
  for (const f of stl) {
    const parts = [`name: ${JSON.stringify(f.name)}`, `minArgs: ${f.minArgs}`, `maxArgs: ${f.maxArgs === null ? 'null' : f.maxArgs}`, `async: ${f.async}`];
    if (f.description) parts.push(`description: ${JSON.stringify(f.description)}`);
    if (f.example) parts.push(`example: ${JSON.stringify(f.example)}`);
    lines.push(`  { ${parts.join(', ')} },`);
  }
  lines.push('];', '');
  return lines.join('\n');
}

// ─── main ────────────────────────────────────────────────────────────────────────────────────────

function writeIfChanged(file, content) {
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (old === content) return false;
  if (check) {
    console.error(`build-grammar: ${path.relative(root, file)} is out of date; run node scripts/build-grammar.mjs`);
    process.exitCode = 1;
    return false;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, 'utf8');
  return true;
}

const { all, version, specSource } = loadStl();
const grammar = buildGrammar(all, version);
await validateRegexes(grammar);

const changed = [];
if (writeIfChanged(GRAMMAR_OUT, JSON.stringify(grammar, null, 2) + '\n')) changed.push(path.relative(root, GRAMMAR_OUT));
if (writeIfChanged(STL_OUT, renderStlModule(all, version, specSource))) changed.push(path.relative(root, STL_OUT));

if (!check) {
  console.log(`build-grammar: ${all.length} STL functions from @posthog/hogvm ${version}; ${changed.length ? `wrote ${changed.join(', ')}` : 'up to date'}`);
}
