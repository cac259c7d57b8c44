// Lints, findings (syntax errors with lints) and the pure helpers behind completion/hover. Plain Node (node:test).
// Every quick fix is applied and the result is checked with the real parser: a fix must not trade one
// error for another.
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
// PostHog's parser (the package's CJS entry): every quick fix must give code it accepts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import createHogQLParser = require('@posthog/hogql-parser');
import { declaredNames, fieldsFor, HOG_FUNCTIONS_BY_NAME, memberContext, stlSignature } from '../../src/language/hogDocs';
import { lintHog, type HogFinding, type HogFix } from '../../src/language/lints';
import { hogFindings } from '../../src/language/findings';
import { isInStringOrComment, scanHog } from '../../src/language/scanner';
import { PositionMapper } from '../../src/hog/positions';
import { STL_FUNCTIONS } from '../../src/hog/stlNames.generated';

type Parser = Awaited<ReturnType<typeof createHogQLParser.default>>;
let parser: Parser;

before(async () => {
  parser = await createHogQLParser.default();
});

function applyFix(code: string, fix: HogFix): string {
  // Edits of one fix never overlap: apply from the end so earlier offsets stay valid.
  return [...fix.edits].sort((a, b) => b.start - a.start).reduce((text, e) => text.slice(0, e.start) + e.newText + text.slice(e.end), code);
}

function parseError(code: string): { message: string; offset: number } | undefined {
  const result = JSON.parse(parser.parseProgram(code)) as { error?: boolean; message?: string; start?: { offset: number } };
  return result.error ? { message: result.message ?? '', offset: result.start?.offset ?? 0 } : undefined;
}

function only(findings: HogFinding[], code: string): HogFinding {
  const matching = findings.filter((f) => f.code === code);
  assert.equal(matching.length, 1, `expected one '${code}' finding, got ${JSON.stringify(findings)}`);
  const [first] = matching;
  assert.ok(first);
  return first;
}

function fixOf(f: HogFinding): HogFix {
  assert.ok(f.fix, `${f.code} has no fix`);
  return f.fix;
}

const textOf = (code: string, f: { start: number; end: number }) => code.slice(f.start, f.end);

describe('scanHog', () => {
  it('follows f-string modes: nested templates, escaped braces, dicts inside placeholders', () => {
    const code = "f'a {f'b {c}'} \\{ d { {'k': 1}['k'] }'";
    const kinds = scanHog(code).map((t) => `${t.kind}:${t.text}`);
    assert.deepEqual(kinds, [
      "fstring-start:f'",
      'fstring-text:a ',
      'interp-start:{',
      "fstring-start:f'",
      'fstring-text:b ',
      'interp-start:{',
      'ident:c',
      'interp-end:}',
      "fstring-end:'",
      'interp-end:}',
      'fstring-text: \\{ d ',
      'interp-start:{',
      'op:{',
      "string:'k'",
      'op::',
      'number:1',
      'op:}',
      'op:[',
      "string:'k'",
      'op:]',
      'interp-end:}',
      "fstring-end:'",
    ]);
  });

  it("reads '' as an escaped quote, -- and # as comments, and a - as minus", () => {
    const tokens = scanHog("let s := 'it''s' - 1 -- note\nlet t := x # more");
    assert.deepEqual(
      tokens.map((t) => t.kind),
      ['ident', 'ident', 'op', 'string', 'op', 'number', 'comment', 'ident', 'ident', 'op', 'ident', 'comment'],
    );
    assert.equal(tokens[3]?.text, "'it''s'");
    assert.equal(tokens[7]?.newlineBefore, true);
  });

  it('marks unterminated strings, f-strings and block comments', () => {
    assert.equal(scanHog("let s := 'abc").at(-1)?.unterminated, true);
    assert.equal(scanHog("let s := f'abc {x}").find((t) => t.kind === 'fstring-start')?.unterminated, true);
    assert.equal(scanHog('/* open').at(-1)?.unterminated, true);
    assert.equal(scanHog("let s := 'done'").at(-1)?.unterminated, undefined);
  });

  it('tells strings and comments from code at an offset', () => {
    const code = "let a := 'str' // c\nlet b := f'x{y}z'";
    const tokens = scanHog(code);
    assert.equal(isInStringOrComment(tokens, code.indexOf('str') + 1), true);
    assert.equal(isInStringOrComment(tokens, code.indexOf('// c') + 3), true);
    assert.equal(isInStringOrComment(tokens, code.indexOf('\n')), true, 'end of a line comment');
    assert.equal(isInStringOrComment(tokens, code.indexOf("f'x") + 2), true, 'f-string text');
    assert.equal(isInStringOrComment(tokens, code.indexOf('y')), false, 'inside a placeholder');
    assert.equal(isInStringOrComment(tokens, code.indexOf('let b') + 1), false);
  });
});

describe('lintHog', () => {
  it('flags a double-quoted "string" and fixes it to single quotes', () => {
    const code = 'let greeting := "it\'s here"';
    const f = only(lintHog(code), 'double-quoted-string');
    assert.equal(f.severity, 'warning');
    assert.equal(textOf(code, f), '"it\'s here"');
    assert.ok(f.fix);
    const fixed = applyFix(code, f.fix);
    assert.equal(fixed, "let greeting := 'it\\'s here'");
    assert.equal(parseError(fixed), undefined);
    assert.equal(parser.parseStringLiteralText("'it\\'s here'"), "it's here");
  });

  it('accepts a double-quoted field name after a dot', () => {
    assert.deepEqual(lintHog('let v := event."my prop"'), []);
  });

  it('flags break and continue used as statements, not as names', () => {
    const code = 'while (true) {\n  if (done) break\n  continue;\n}\nlet breakpoint := x.break';
    const findings = lintHog(code).filter((f) => f.code === 'no-break-continue');
    assert.deepEqual(
      findings.map((f) => textOf(code, f)),
      ['break', 'continue'],
    );
  });

  it("explains '!' and '&&' and fixes them to not / and", () => {
    const code = 'if (!done && ready) { print(1) }';
    const findings = lintHog(code);
    const bang = only(findings, 'no-bang');
    const amp = only(findings, 'no-ampersand');
    assert.equal(bang.severity, 'error');
    assert.ok(bang.fix && amp.fix);
    const fixed = applyFix(applyFix(code, amp.fix), bang.fix);
    assert.equal(fixed, 'if (not done and ready) { print(1) }');
    assert.equal(parseError(fixed), undefined);
    assert.equal(applyFix('x := a&&b', fixOf(only(lintHog('x := a&&b'), 'no-ampersand'))), 'x := a and b');
  });

  it("leaves '!=' and '!~' alone and explains a single '|'", () => {
    assert.deepEqual(lintHog("let a := x != 1 and y !~ 'z' and w !~* 'v'"), []);
    assert.equal(only(lintHog('let a := x | y'), 'single-pipe').severity, 'error');
  });

  it("suggests 'or' for '||' only between clearly boolean operands", () => {
    const code = 'let ok := a == 1 || b == 2';
    const f = only(lintHog(code), 'pipes-as-or');
    assert.equal(f.severity, 'information');
    assert.equal(applyFix(code, fixOf(f)), 'let ok := a == 1 or b == 2');
    assert.deepEqual(lintHog("let s := 'a' || name || 'b'"), []);
    assert.deepEqual(lintHog("let s := toString(a == b) || 'x'"), []);
    assert.equal(lintHog('let t := true || x').length, 1);
  });

  it('flags Liquid {{ }} in strings and converts them to f-strings', () => {
    const code = "let msg := 'Hi {{ person.name }}, {literal}'";
    const f = only(lintHog(code), 'liquid-placeholder');
    assert.ok(f.fix);
    const fixed = applyFix(code, f.fix);
    assert.equal(fixed, "let msg := f'Hi {person.name}, \\{literal}'");
    assert.equal(parseError(fixed), undefined);
    // Liquid filters and tags cannot be converted mechanically: warning only.
    assert.equal(only(lintHog("let m := '{{ name | upcase }}'"), 'liquid-placeholder').fix, undefined);
    assert.equal(only(lintHog("let m := '{% if x %}y{% endif %}'"), 'liquid-placeholder').fix, undefined);
  });

  it('flags {{ }} inside an f-string and reduces it to single braces', () => {
    const code = "let msg := f'Hi {{ person.name }}!'";
    const f = only(lintHog(code), 'liquid-placeholder');
    assert.equal(textOf(code, f), '{{ person.name }}');
    const fixed = applyFix(code, fixOf(f));
    assert.equal(fixed, "let msg := f'Hi {person.name}!'");
    assert.equal(parseError(fixed), undefined);
  });

  it("flags '=' used to assign", () => {
    const code = 'let a = 1\nb = 2\nc.d = 3\nwhile (x = 1) { }';
    const findings = lintHog(code).filter((f) => f.code === 'assign-with-equals');
    assert.deepEqual(
      findings.map((f) => [f.severity, code.slice(0, f.start).split('\n').length]),
      [
        ['error', 1], // a parse error: let needs :=
        ['warning', 2], // parses, but compares
        ['warning', 3],
      ],
    );
    // From the last to the first, so that earlier offsets stay valid.
    const fixed = [...findings].reverse().reduce((text, f) => applyFix(text, fixOf(f)), code);
    assert.equal(fixed, 'let a := 1\nb := 2\nc.d := 3\nwhile (x = 1) { }');
    assert.equal(parseError(fixed), undefined);
  });

  it('finds nothing in realistic, correct code', () => {
    const code = [
      "let res := fetch(inputs.url, {'method': 'POST', 'body': {'event': event.event, 'who': person.properties.email ?? ''}})",
      'if (res.status >= 400 or not res.body) {',
      "    throw Error(f'Failed: {res.status} {jsonStringify(res.body)}')",
      '}',
      "for (let key, value in event.properties) { if (key like '$%') { print(key, value) } }",
      'let double := x -> x * 2 -- a comment with "quotes" and \'quotes\' and ! &&',
      "return arrayMap(x -> double(x), [1, 2, 3]) || 'x'",
    ].join('\n');
    assert.equal(parseError(code), undefined);
    assert.deepEqual(lintHog(code), []);
  });
});

describe('findings: syntax errors and lints together', () => {
  it('underlines the offending token, or the bracket never closed', () => {
    const code = 'fun foo( {\n}';
    const f = only(hogFindings(code), 'syntax');
    assert.equal(textOf(code, f), '{');
    assert.equal(f.message, 'expected a parameter name, found "{"');

    const eof = 'let x := (1, 2';
    const atEnd = only(hogFindings(eof), 'syntax');
    assert.equal(textOf(eof, atEnd), '(');
    assert.equal(atEnd.message, '"(" is never closed: expected ")" before the end of the code');
  });

  it('prefers a lint that explains the same spot (with a fix) over the parser error', () => {
    assert.deepEqual(
      hogFindings('let ready := !done').map((f) => f.code),
      ['no-bang'],
    );
    assert.deepEqual(
      hogFindings("let s := 'x'\nlet y := (1").map((f) => f.code),
      ['syntax'],
    );
  });

  it('reports an unterminated string once, at its opening quote', () => {
    const code = "let s := 'abc\nlet t := 1";
    const findings = hogFindings(code);
    const f = only(findings, 'unterminated');
    assert.equal(f.start, code.indexOf("'"));
    assert.equal(findings.length, 1);
  });

  it('reports every broken statement, not only the first', () => {
    const code = "print(1 +)\nlet ok := 2\nlet y := [1, 2\nprint('z')";
    assert.deepEqual(
      hogFindings(code).map((f) => [f.code, textOf(code, f)]),
      [
        ['syntax', ')'],
        ['syntax', '2'],
      ],
    );
  });
});

describe('positions', () => {
  it("converts PostHog's code-point offsets to UTF-16 offsets", () => {
    const code = "let x := '😀é' !";
    const error = parseError(code);
    assert.ok(error);
    assert.equal(new PositionMapper(code).fromCodePoints(error.offset), code.indexOf('!'));
    assert.equal(new PositionMapper('abc').fromCodePoints(2), 2);
  });
});

describe('completion and hover helpers', () => {
  it('reads the member chain before the cursor', () => {
    assert.deepEqual(memberContext('let x := event.'), { chain: ['event'], partial: '' });
    assert.deepEqual(memberContext('print(event.properties.$cu'), { chain: ['event', 'properties'], partial: '$cu' });
    assert.deepEqual(memberContext('x := person?.na'), { chain: ['person'], partial: 'na' });
    assert.equal(memberContext('let x := 1.'), undefined);
    assert.equal(memberContext('let x := event'), undefined);
  });

  it('knows the fields of globals', () => {
    assert.ok(fieldsFor(['event'])?.some((f) => f.name === 'distinct_id'));
    assert.ok(fieldsFor(['person'])?.some((f) => f.name === 'properties'));
    assert.ok(fieldsFor(['groups', 'organization'])?.some((f) => f.name === 'index'));
    assert.ok(fieldsFor(['event', 'properties'])?.some((f) => f.name === '$current_url'));
    assert.equal(fieldsFor(['res']), undefined);
  });

  it('lists the names a document declares', () => {
    const names = declaredNames(scanHog('let a := 1\nfun send(url, body) { }\nfor (let k, v in x) { }\ntry { } catch (err) { }'));
    assert.deepEqual(
      names.map((n) => `${n.kind}:${n.name}`),
      ['variable:a', 'function:send', 'parameter:url', 'parameter:body', 'variable:k', 'variable:v', 'variable:err'],
    );
  });

  it('has the standard library from @posthog/hogvm, with arity, and the host functions', () => {
    assert.ok(STL_FUNCTIONS.length > 100);
    const concat = HOG_FUNCTIONS_BY_NAME.get('concat');
    assert.ok(concat);
    assert.equal(concat.origin, 'stl');
    assert.equal(concat.maxArgs, null);
    assert.equal(HOG_FUNCTIONS_BY_NAME.get('fetch')?.origin, 'host');
    assert.equal(stlSignature({ name: 'formatDateTime', minArgs: 2, maxArgs: 3 }), 'formatDateTime(arg1, arg2, [arg3])');
  });
});
