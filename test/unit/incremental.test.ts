// Incremental syntax checking (src/language/incremental.ts) with the real WASM parser: the outline read from
// the parser's AST, the region planChunk picks for an edit, and the property the quick check relies on —
// whenever the planned region parses without errors, so does the whole program — over a seeded set of random
// edits of realistic functions. Also the parser's error units (UTF-8 bytes vs code points). Plain Node.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import createHogQLParser = require('@posthog/hogql-parser');
import { isSelfContained, outlineFromAst, planChunk, planQuickCheck, unbalancedBracket, type ParseBase, type StatementList } from '../../src/language/incremental';
import { parseHogSource } from '../../src/language/parserWorker';
import { parserErrorOffsetToUtf16, utf8ByteToUtf16Offset } from '../../src/language/protocol';

type Parser = Awaited<ReturnType<typeof createHogQLParser.default>>;
let parser: Parser;

before(async () => {
  parser = await createHogQLParser.default();
});

/** The realistic functions of the grammar snapshots (compiled tests run from out/test/unit). */
const SNAPSHOTS = path.resolve(__dirname, '../../../test/grammar/snap');
const FUNCTIONS = ['webhook-destination.hog', 'slack-destination.hog', 'transformation.hog', 'webhook-source.hog'].map((f) => fs.readFileSync(path.join(SNAPSHOTS, f), 'utf8'));

function baseOf(text: string): ParseBase {
  const parsed = parseHogSource(parser, text, 'program');
  assert.deepEqual(parsed.errors, [], 'the base parses');
  const outline = outlineFromAst(parsed.ast, text);
  assert.ok(outline, 'the base has an outline');
  return { text, outline };
}

/** All statement spans of an outline, depth first. */
function spans(list: StatementList): { start: number; end: number }[] {
  return list.statements.flatMap((s) => [{ start: s.start, end: s.end }, ...s.lists.flatMap(spans)]);
}

const PROGRAM = `let a := 1
fun f(x) {
  if (x) { print('é—😀') } else { return 2 }
  while (x > 0) { x := x - 1 }
  let g := (y) -> { return y * 2 }
}
print(f(a)); print(a)
`;

describe('outline', () => {
  it('lists the statements of the program and of every block, in UTF-16 offsets', () => {
    const { outline } = baseOf(PROGRAM);
    assert.deepEqual(
      outline.statements.map((s) => PROGRAM.slice(s.start, s.end)),
      ['let a := 1', PROGRAM.slice(PROGRAM.indexOf('fun'), PROGRAM.indexOf('\n}') + 2), 'print(f(a));', 'print(a)'],
    );
    assert.equal(outline.lo, 0);
    assert.equal(outline.hi, PROGRAM.length);
    const texts = spans(outline).map((s) => PROGRAM.slice(s.start, s.end));
    // After the astral character, offsets are still right: the parser counts code points, JavaScript UTF-16 units.
    for (const expected of ["print('é—😀')", 'return 2', 'x := x - 1', 'return y * 2', 'let g := (y) -> { return y * 2 }']) {
      assert.ok(texts.includes(expected), `${expected} in ${JSON.stringify(texts)}`);
    }
    const fn = outline.statements[1];
    assert.ok(fn);
    const body = fn.lists[0];
    assert.ok(body);
    assert.equal(PROGRAM[body.lo - 1], '{');
    assert.equal(PROGRAM[body.hi], '}');
  });

  it('gives an outline for every realistic function', () => {
    for (const text of FUNCTIONS) assert.ok(spans(baseOf(text).outline).length > 5);
  });

  it('refuses an AST that does not describe the text exactly', () => {
    const { ast } = parseHogSource(parser, PROGRAM, 'program');
    assert.equal(outlineFromAst(ast, `${PROGRAM.slice(0, 11)}junk ${PROGRAM.slice(11)}`), undefined, 'text between statements');
    assert.equal(outlineFromAst(ast, PROGRAM.replaceAll('{', '(')), undefined, 'block spans not on braces');
    assert.equal(outlineFromAst({ node: 'Program' }, PROGRAM), undefined, 'no declarations');
    assert.equal(outlineFromAst({ node: 'Program', declarations: [{ start: { offset: 5 }, end: { offset: 2 } }] }, PROGRAM), undefined, 'end before start');
    assert.equal(outlineFromAst({ error: true, message: 'x' }, PROGRAM), undefined, 'an error result');
  });
});

describe('planChunk', () => {
  const base = (): ParseBase => baseOf(PROGRAM);
  const edit = (text: string, at: string, insert: string, remove = 0): string => {
    const i = text.indexOf(at);
    assert.ok(i >= 0, at);
    return text.slice(0, i) + insert + text.slice(i + remove);
  };
  const chunkText = (text: string): string | undefined => {
    const chunk = planChunk(base(), text);
    return chunk && text.slice(chunk.start, chunk.end);
  };

  it('picks the innermost statement that contains the edit', () => {
    assert.equal(chunkText(edit(PROGRAM, 'x - 1', 'x + ', 0))?.trim(), 'x := x + x - 1');
    assert.equal(chunkText(edit(PROGRAM, 'y * 2', '(y + 1) * ', 1))?.trim(), 'return (y + 1) *  * 2');
  });

  it('takes the gap between statements when text is typed there', () => {
    const text = edit(PROGRAM, 'print(f(a))', 'let z := 3\n');
    assert.equal(chunkText(text), '\nlet z := 3\nprint(f(a)); ', 'from the end of the statement before to the start of the one after');
  });

  it('includes a statement the edit touches at its end', () => {
    assert.equal(chunkText(edit(PROGRAM, '\nfun f', '0', 0))?.trim(), 'let a := 10');
  });

  it('widens to the enclosing statement when a brace of a block changes', () => {
    // Replacing the while's braces by parentheses: the edit is no longer inside the block, so the region is
    // the whole while statement (with the filler around it), not the statement inside.
    const text = edit(PROGRAM, '{ x := x - 1 }', '( x := x - 1 )', '{ x := x - 1 }'.length);
    assert.equal(chunkText(text)?.trim(), 'while (x > 0) ( x := x - 1 )');
    const extra = edit(PROGRAM, '{ x := x - 1 }', '{ x := x - 1 } }', '{ x := x - 1 }'.length);
    assert.equal(planChunk(base(), extra), undefined, 'an extra } makes the region unbalanced: parse it all');
  });

  it('refuses regions whose lexing depends on their neighbours', () => {
    // Each of these parses alone, but not in the program (found by an independent review).
    const cases = [
      ['if (x) { print(1) }\nprint(2)\nprint(3)\nprint(4)\n', 'if (x) { // print(1) }\nprint(2)\nprint(3)\nprint(4)\n'],
      ['let y := 0\nlet f := (x) -> { return x }\nprint(1)\nprint(2)\n', 'let y := 0\nlet f := (x) -> { return x # double }\nprint(1)\nprint(2)\n'],
      ['let z := 0\nwhile (x) { x := x - 1 }\nprint(1)\nprint(2)\n', 'let z := 0\nwhile (x) { x := x -- 1 }\nprint(1)\nprint(2)\n'],
      ['let y := 0\nlet x := 1\nprint(1)\nprint(2)\n', 'let y := 0\nlet x := a <b\nprint(1)\nprint(2)\n'],
    ] as const;
    for (const [before, after] of cases) {
      assert.ok(parseHogSource(parser, after, 'program').errors.length > 0, `${after} does not parse`);
      assert.equal(planQuickCheck(baseOf(before), after), undefined, after);
    }
    assert.equal(outlineFromAst(parseHogSource(parser, 'let ok := a <b\n', 'program').ast, 'let ok := a <b\n'), undefined, 'no outline with a tag-like <name');
    assert.equal(unbalancedBracket('let a := <b>(</b>'), undefined, 'brackets inside an HogQLX tag are text');
  });

  it('refuses a region that ends with a statement header, whose body comes after it', () => {
    const before = 'let a := 1\n\nprint(2)\nprint(3)\nprint(4)\n';
    for (const header of ['while (a)', 'if (a > 1)', 'for (let i := 0; i < 3; i := i + 1)', 'fun f(x)']) {
      const after = before.replace('\n\n', `\n${header}\n`);
      assert.equal(planQuickCheck(baseOf(before), after), undefined, header);
    }
    assert.ok(planQuickCheck(baseOf(before), before.replace('\n\n', '\nprint(a)\n')), 'a call is not a header');
  });

  it('refuses regions that are not self-contained or are most of the document', () => {
    assert.equal(planChunk(base(), edit(PROGRAM, 'print(a)', "'")), undefined, 'an unterminated string');
    assert.equal(planChunk(base(), edit(PROGRAM, 'let a', '/* ')), undefined, 'an unterminated comment');
    assert.equal(planChunk(base(), edit(PROGRAM, 'return 2', '(')), undefined, 'an unclosed parenthesis');
    const one = 'print(1)\n';
    assert.equal(planChunk(baseOf(one), 'print(12)\n'), undefined, 'the region would be the whole document');
    const long = `${'let a := 1\n'.repeat(600)}let s := '${'x'.repeat(5000)}'\n${'let b := 2\n'.repeat(600)}`;
    assert.equal(planChunk(baseOf(long), long.replace("'x", "'y")), undefined, 'a region over 4096 characters');
    assert.ok(planChunk(baseOf(long), long.replace("'x", "'y"), { maxChars: 10_000 }));
  });

  it('plans an unchanged text as a small region that parses', () => {
    const chunk = planChunk(base(), PROGRAM);
    assert.ok(chunk);
    assert.deepEqual(parseHogSource(parser, PROGRAM, 'program', chunk).errors, []);
  });

  it('reports the error of a region at its offset in the whole text', () => {
    const text = edit(PROGRAM, 'x := x - 1', 'x := := x - 1', 'x := x - 1'.length);
    const chunk = planChunk(base(), text);
    assert.ok(chunk);
    const quick = parseHogSource(parser, text, 'program', chunk).errors;
    const full = parseHogSource(parser, text, 'program').errors;
    assert.equal(quick.length, 1);
    assert.equal(quick[0]?.offset, full[0]?.offset);
    assert.equal(text.slice(quick[0]?.offset ?? 0).slice(0, 2), ':=');
  });

  it('parses it all when a block could turn into a dict', () => {
    // `if (x) { cleaned[key] :rim(value) }` parses: the braces are a dict, not a block.
    const code = 'if (x) {\n    cleaned[key] := trim(value)\n}\nprint(1)\nprint(2)\nprint(3)\nprint(4)\n';
    const typed = code.replace(':= t', ':');
    assert.deepEqual(parseHogSource(parser, typed, 'program').errors, []);
    assert.equal(planChunk(baseOf(code), typed), undefined);
    const ternary = code.replace(':= trim(value)', ':= a ? b : c');
    assert.ok(planChunk(baseOf(code), ternary) === undefined, 'a `:` anywhere outside brackets is enough');
    const nested = code.replace('trim(value)', "{'a': 1}");
    assert.ok(planChunk(baseOf(code), nested), 'a `:` inside brackets is fine');
  });

  it('parses it all when the region could continue into, or from, its neighbours', () => {
    // Hog has no statement terminator: `print(f(a));.` + the next statement `print(a)` is one expression.
    for (const insert of ['.', ' /', ' and']) {
      const i = PROGRAM.indexOf(' print(a)');
      const text = PROGRAM.slice(0, i) + insert + PROGRAM.slice(i);
      assert.equal(planChunk(base(), text), undefined, JSON.stringify(insert));
    }
    assert.equal(isSelfContained('.x'), false);
    assert.equal(isSelfContained('?? y'), false);
    assert.equal(isSelfContained('print(1)\nlet'), false);
    assert.equal(isSelfContained('else { print(1) }'), false);
    assert.equal(isSelfContained('-1'), true);
    assert.equal(isSelfContained('return'), true);
  });

  it('reports brackets that do not add up without parsing, where the bracket is', () => {
    const typed = edit(PROGRAM, 'x := x - 1', 'x := max(x - 1', 'x := x - 1'.length);
    const plan = planQuickCheck(base(), typed);
    assert.ok(plan?.kind === 'unbalanced', `planned ${JSON.stringify(plan)}`);
    assert.deepEqual(
      { ...plan.finding },
      { code: 'unbalanced-bracket', severity: 'error', start: typed.indexOf('max(') + 3, end: typed.indexOf('max(') + 4, message: "Syntax error: '(' is never closed." },
    );
    assert.ok(parseHogSource(parser, typed, 'program').errors.length > 0, 'and the program indeed does not parse');
    assert.equal(unbalancedBracket('print(1))')?.message, "Syntax error: ')' without a matching '('.");
    assert.equal(unbalancedBracket('print(1))')?.start, 8);
    assert.equal(unbalancedBracket('a[1]]]')?.start, 4);
    assert.equal(unbalancedBracket('if (max(a) {}')?.start, 3, 'by nesting, the outer ( lacks its )');
    assert.equal(unbalancedBracket('if (max(a) {}', { start: 4, end: 8 })?.start, 7, 'but the ( just typed is the likelier culprit');
    assert.equal(unbalancedBracket('f(a))', { start: 3, end: 4 })?.start, 3);
    assert.equal(unbalancedBracket(')('), undefined, 'as many of each: only the parser can tell');
    assert.equal(unbalancedBracket("print('(')"), undefined, 'brackets in strings do not count');
    assert.equal(unbalancedBracket("print('x"), undefined, 'an unterminated string: the rest of the program changes meaning');
    assert.equal(unbalancedBracket("f'{a'"), undefined);
  });

  it('isSelfContained follows strings, f-strings and comments', () => {
    assert.equal(isSelfContained("print(f'{a}) {b}')"), true);
    assert.equal(isSelfContained("print('(')"), true);
    assert.equal(isSelfContained('print(1) // )\n'), true);
    assert.equal(isSelfContained('print(1) // )'), false, 'the comment would run on to the end of the line');
    assert.equal(isSelfContained('print(1))'), false);
    assert.equal(isSelfContained('[1, 2)'), false);
    assert.equal(isSelfContained("f'{a'"), false);
  });
});

describe('quick check soundness over random edits', () => {
  // A deterministic generator: the same edits on every run.
  let seed = 20261126;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const INSERTS = [
    '(',
    ')',
    '{',
    '}',
    'x',
    '1',
    ' ',
    ',',
    '.',
    "'",
    ':=',
    'let ',
    'return ',
    'print(1)\n',
    'fun g() { return 1 }\n',
    'if (a) {\n',
    '[',
    ']',
    '->',
    '?',
    '"',
    "f'{a}'",
    '*',
    ' and ',
    '-- c\n',
    '// ',
    '#',
    '<b',
    'while (a)',
  ];

  it('a region without errors means a program without errors; an error in it is an error of the program', () => {
    const counts = { planned: 0, notPlanned: 0, clean: 0, errorsSamePlace: 0, errorsElsewhere: 0, unbalanced: 0 };
    for (const text of FUNCTIONS) {
      const base = baseOf(text);
      for (let k = 0; k < 20; k++) {
        const at = Math.floor(random() * text.length);
        const edited =
          random() < 0.4
            ? text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3))
            : text.slice(0, at) + (INSERTS[Math.floor(random() * INSERTS.length)] ?? '') + text.slice(at);
        const plan = planQuickCheck(base, edited);
        if (plan?.kind === 'unbalanced') {
          counts.unbalanced++;
          assert.equal(
            parseHogSource(parser, edited, 'program').errors.length,
            1,
            `unbalanced brackets, yet the program parses: ${edited.slice(plan.finding.start - 30, plan.finding.end + 30)}`,
          );
          continue;
        }
        const chunk = plan?.chunk;
        if (!chunk) {
          counts.notPlanned++;
          continue;
        }
        counts.planned++;
        const quick = parseHogSource(parser, edited, 'program', chunk).errors;
        const full = parseHogSource(parser, edited, 'program').errors;
        const context = `${JSON.stringify(edited.slice(chunk.start, chunk.end))} in edit ${k}`;
        if (quick.length === 0) {
          assert.deepEqual(full, [], `the region parsed but the program did not: ${context}`);
          counts.clean++;
        } else {
          assert.equal(full.length, 1, `the region has an error the program does not: ${context}`);
          if (quick[0]?.offset === full[0]?.offset) counts.errorsSamePlace++;
          else counts.errorsElsewhere++;
        }
      }
    }
    console.log(`    random edits: ${JSON.stringify(counts)}`);
    assert.ok(counts.planned + counts.unbalanced >= 60, `most edits get a quick answer (${counts.planned + counts.unbalanced} of 80)`);
    assert.ok(counts.errorsSamePlace >= 3 * counts.errorsElsewhere, 'errors are mostly reported where the full parse reports them');
  });
});

describe('parser error offsets', () => {
  it('reads parser errors in UTF-8 bytes and lexer errors in code points', () => {
    for (const prefix of ["'xx'", "'é—'", "'😀'"]) {
      for (const [tail, token] of [
        ['\nlet b := )', ')'],
        ["\nlet d := {'b' 2}", '2'],
        ["\nlet q := 'abc", "'"],
        [' !', '!'],
      ] as const) {
        const code = `let a := ${prefix}${tail}`;
        const errors = parseHogSource(parser, code, 'program').errors;
        assert.equal(errors.length, 1, code);
        assert.equal(errors[0]?.offset, code.lastIndexOf(token), `${JSON.stringify(code)}: ${errors[0]?.message ?? ''}`);
      }
    }
    const eof = "let a := 'é—'\nlet c := ";
    assert.equal(parseHogSource(parser, eof, 'program').errors[0]?.offset, eof.length, 'an error at the end of input');
  });

  it('converts UTF-8 byte offsets and picks the reading where the quoted token is', () => {
    assert.equal(utf8ByteToUtf16Offset('aé—😀b', 1 + 2 + 3 + 4), 5);
    assert.equal(utf8ByteToUtf16Offset('é', 1), 1, 'a byte inside a character counts as the character');
    const code = "'é' )";
    assert.equal(parserErrorOffsetToUtf16(code, 5, "mismatched input ')' expecting x"), 4);
    assert.equal(parserErrorOffsetToUtf16(code, 4, "mismatched input ')' expecting x"), 4, 'code points, when that is where the token is');
    assert.equal(parserErrorOffsetToUtf16(code, 4, 'Unexpected character'), 4);
  });
});
