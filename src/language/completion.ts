/**
 * Completions for Hog: keywords (with snippets), globals and their well-known fields, the standard library
 * (generated from @posthog/hogvm), PostHog's host functions, names declared in the document, and
 * `inputs.<key>` from the function's inputs_schema (asked for through an injected provider).
 */
import * as vscode from 'vscode';
import {
  arityText,
  declaredNames,
  fieldsFor,
  HOG_FUNCTIONS_BY_NAME,
  HOG_GLOBALS,
  HOG_KEYWORDS,
  memberContext,
  type FieldDoc,
  type FunctionDoc,
  type InputSchemaEntry,
} from './hogDocs';
import { isInStringOrComment, scanHog } from './scanner';
import { errorMessage } from '../util/errorMessage';

/** Provides the inputs_schema of the hog function whose code is at uri (undefined when unknown). */
export type InputsSchemaProvider = (uri: vscode.Uri) => Promise<readonly InputSchemaEntry[] | undefined>;

const CONSTANTS = new Set(['true', 'false', 'null']);

export function functionMarkdown(f: FunctionDoc): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendCodeblock(f.signature, 'hog');
  if (f.description) md.appendMarkdown(`${f.description}\n\n`);
  const origin = f.origin === 'host' ? "Provided by PostHog's CDP runtime" : 'Hog standard library';
  md.appendMarkdown(`*${origin} · ${arityText(f)}${f.async ? ' · async' : ''}*`);
  return md;
}

export function fieldMarkdown(path: string, field: FieldDoc): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendCodeblock(`${path}: ${field.type}`, 'hog');
  md.appendMarkdown(field.description);
  return md;
}

export function inputMarkdown(entry: InputSchemaEntry): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendCodeblock(`inputs.${entry.key}: ${entry.type ?? 'string'}`, 'hog');
  if (entry.label) md.appendMarkdown(`**${entry.label}**\n\n`);
  if (entry.description) md.appendMarkdown(`${entry.description}\n\n`);
  const flags = [entry.required ? 'required' : undefined, entry.secret ? 'secret: the value is not shown in the editor' : undefined].filter(Boolean);
  if (flags.length) md.appendMarkdown(`*${flags.join(' · ')}*`);
  return md;
}

export class HogCompletionProvider implements vscode.CompletionItemProvider {
  constructor(
    private readonly inputsSchemaFor: InputsSchemaProvider | undefined,
    private readonly log: (message: string) => void,
  ) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.CompletionItem[] | undefined> {
    const code = document.getText();
    const tokens = scanHog(code);
    if (isInStringOrComment(tokens, document.offsetAt(position))) return undefined;

    const member = memberContext(document.lineAt(position.line).text.slice(0, position.character));
    if (member) {
      const [root] = member.chain;
      if (root === 'inputs' && member.chain.length === 1) return this.inputItems(document.uri, token);
      const fields = fieldsFor(member.chain);
      // Unknown objects (a local dict, a fetch response): let VS Code offer words from the document.
      return fields ? fields.map((f, i) => fieldItem(member.chain.join('.'), f, i)) : undefined;
    }

    const items: vscode.CompletionItem[] = [];
    for (const k of HOG_KEYWORDS) {
      const item = new vscode.CompletionItem(k.name, CONSTANTS.has(k.name) ? vscode.CompletionItemKind.Constant : vscode.CompletionItemKind.Keyword);
      item.documentation = new vscode.MarkdownString(k.description);
      if (k.snippet) item.insertText = new vscode.SnippetString(k.snippet);
      items.push(item);
    }
    for (const g of HOG_GLOBALS) {
      const item = new vscode.CompletionItem(g.name, vscode.CompletionItemKind.Variable);
      item.detail = `global · ${g.type}`;
      item.documentation = new vscode.MarkdownString(g.description);
      items.push(item);
    }
    for (const f of HOG_FUNCTIONS_BY_NAME.values()) {
      // if(), and(), not()… exist in the VM but the lexer reads those words as keywords.
      if (HOG_KEYWORDS.some((k) => k.name === f.name.toLowerCase())) continue;
      const item = new vscode.CompletionItem(f.name, vscode.CompletionItemKind.Function);
      item.detail = f.signature;
      item.documentation = functionMarkdown(f);
      item.insertText = new vscode.SnippetString(f.maxArgs === 0 ? `${f.name}()` : `${f.name}($0)`);
      // Host functions (fetch, postHogCapture) are what destination code calls most.
      item.sortText = f.origin === 'host' ? `0_${f.name}` : `1_${f.name}`;
      items.push(item);
    }
    const seen = new Set(items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)));
    for (const d of declaredNames(tokens)) {
      if (seen.has(d.name)) continue;
      seen.add(d.name);
      const item = new vscode.CompletionItem(d.name, d.kind === 'function' ? vscode.CompletionItemKind.Function : vscode.CompletionItemKind.Variable);
      item.detail = d.kind === 'parameter' ? 'parameter' : `declared in this file`;
      if (d.kind === 'function') item.insertText = new vscode.SnippetString(`${d.name}($0)`);
      item.sortText = `0_${d.name}`;
      items.push(item);
    }
    return items;
  }

  private async inputItems(uri: vscode.Uri, token: vscode.CancellationToken): Promise<vscode.CompletionItem[] | undefined> {
    if (!this.inputsSchemaFor) return undefined;
    let schema: readonly InputSchemaEntry[] | undefined;
    try {
      schema = await this.inputsSchemaFor(uri);
    } catch (err) {
      this.log(`inputs_schema lookup failed for ${uri.toString()}: ${errorMessage(err)}`);
      return undefined;
    }
    if (!schema || token.isCancellationRequested) return undefined;
    return schema.map((entry, i) => {
      const item = new vscode.CompletionItem({ label: entry.key, description: entry.label ?? undefined }, vscode.CompletionItemKind.Property);
      item.detail = [entry.type ?? 'string', entry.secret ? 'secret' : undefined, entry.required ? 'required' : undefined].filter(Boolean).join(' · ');
      item.documentation = inputMarkdown(entry);
      item.sortText = String(i).padStart(4, '0');
      return item;
    });
  }
}

function fieldItem(path: string, field: FieldDoc, index: number): vscode.CompletionItem {
  const item = new vscode.CompletionItem(field.name, vscode.CompletionItemKind.Field);
  item.detail = field.type;
  item.documentation = fieldMarkdown(`${path}.${field.name}`, field);
  item.sortText = String(index).padStart(4, '0');
  return item;
}
