/**
 * Hovers for Hog: keywords, globals (with their fields), fields of globals (event.properties, person.name…),
 * standard library and host functions, and `inputs.<key>` from the function's inputs_schema.
 */
import * as vscode from 'vscode';
import { fieldMarkdown, functionMarkdown, inputMarkdown, type InputsSchemaProvider } from './completion';
import { fieldsFor, HOG_FUNCTIONS_BY_NAME, HOG_GLOBALS_BY_NAME, HOG_KEYWORDS_BY_NAME, memberContext, type GlobalDoc } from './hogDocs';
import { isInStringOrComment, scanHog } from './scanner';
import { errorMessage } from '../util/errorMessage';

const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/;

function globalMarkdown(g: GlobalDoc): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendCodeblock(`${g.name}: ${g.type}`, 'hog');
  md.appendMarkdown(`${g.description}\n\n`);
  const fields = g.valueFields ?? g.fields;
  if (fields.length > 0) {
    const prefix = g.valueFields ? `${g.name}.<type>` : g.name;
    md.appendMarkdown(fields.map((f) => `- \`${prefix}.${f.name}\` (${f.type}): ${f.description}`).join('\n'));
  }
  return md;
}

export class HogHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly inputsSchemaFor: InputsSchemaProvider | undefined,
    private readonly log: (message: string) => void,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const range = document.getWordRangeAtPosition(position, WORD);
    if (!range) return undefined;
    if (isInStringOrComment(scanHog(document.getText()), document.offsetAt(range.start))) return undefined;
    const word = document.getText(range);
    const line = document.lineAt(range.start.line).text;
    const member = memberContext(line.slice(0, range.start.character));

    if (member?.partial === '') {
      // A property: event.event, person.properties, inputs.url…
      if (member.chain.length === 1 && member.chain[0] === 'inputs') return this.inputHover(document.uri, word, range, token);
      const field = fieldsFor(member.chain)?.find((f) => f.name === word);
      return field ? new vscode.Hover(fieldMarkdown(`${member.chain.join('.')}.${word}`, field), range) : undefined;
    }

    const keyword = HOG_KEYWORDS_BY_NAME.get(word.toLowerCase());
    if (keyword) return new vscode.Hover(new vscode.MarkdownString(keyword.description), range);
    const global = HOG_GLOBALS_BY_NAME.get(word);
    if (global) return new vscode.Hover(globalMarkdown(global), range);
    const fn = HOG_FUNCTIONS_BY_NAME.get(word);
    // Only a call is the library function; a variable of the same name (let length := …) is not.
    if (fn && /^\s*\(/.test(line.slice(range.end.character))) return new vscode.Hover(functionMarkdown(fn), range);
    return undefined;
  }

  private async inputHover(uri: vscode.Uri, key: string, range: vscode.Range, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!this.inputsSchemaFor) return undefined;
    try {
      const entry = (await this.inputsSchemaFor(uri))?.find((e) => e.key === key);
      if (!entry || token.isCancellationRequested) return undefined;
      return new vscode.Hover(inputMarkdown(entry), range);
    } catch (err) {
      this.log(`inputs_schema lookup failed for ${uri.toString()}: ${errorMessage(err)}`);
      return undefined;
    }
  }
}
