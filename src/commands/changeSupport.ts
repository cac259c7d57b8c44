/**
 * Shared by the draft, revision, copy and workspace commands: which function a command is about, read-only
 * snapshots of a function's documents (a draft, a revision, a folder's files) and opening them as diffs.
 */
import * as vscode from 'vscode';
import type { Content } from '../api/changes';
import type { HogFunction } from '../api/schemas';
import { RUN_SCHEME } from '../constants';
import { authorityOf, functionUri } from '../fs/uri';
import type { FunctionDocKind } from '../model/docPath';
import type { Environment } from '../model/environment';
import { functionDocuments } from '../model/functionDocuments';
import { typeInfo } from '../model/hogFunctionTypes';
import { isJsonObject } from '../model/json';
import { functionLabel } from '../model/treeModel';
import { runDocumentName } from '../run/results';
import { DraftService } from '../services/drafts';
import type { Node } from '../tree/nodes';
import { pickFunction } from './pick';
import type { Services } from './services';

export const DOC_KINDS: readonly FunctionDocKind[] = ['code', 'inputs', 'filters'];

export function drafts(s: Services): DraftService {
  return new DraftService(s.clients, s.store, s.log);
}

/** What a draft or revision command is about, when called with more than a tree node (a view item, a URI). */
export interface FunctionArg {
  env: Environment;
  functionId: string;
}

export function isFunctionArg(v: unknown): v is FunctionArg {
  return typeof v === 'object' && v !== null && 'env' in v && 'functionId' in v && typeof v.functionId === 'string';
}

/**
 * The function a command is about: a tree node, an item of the revisions view, the URI it was called with
 * or the active editor's posthog: document, else one picked (among `eligible`).
 */
export async function functionFor(s: Services, node: Node | undefined, arg: unknown, pick: Parameters<typeof pickFunction>[2]): Promise<FunctionArg & { kind?: FunctionDocKind }> {
  if (node?.kind === 'function' || node?.kind === 'functionDoc') return { env: node.env, functionId: node.fn.id };
  if (isFunctionArg(arg)) return arg;
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (uri) {
    try {
      const { env, ref } = s.fs.resolve(uri);
      if (ref.kind === 'code' || ref.kind === 'inputs' || ref.kind === 'filters') return { env, functionId: ref.functionId, kind: ref.kind };
    } catch {
      // not a posthog: document: pick below
    }
  }
  const picked = await pickFunction(s, undefined, pick);
  return { env: picked.env, functionId: picked.fn.id };
}

/**
 * A function's content replaced by a draft's or a revision's. Revisions carry no secret inputs at all:
 * those come back as `{"secret": true}` (what is stored stays), so only real differences show.
 */
export function withContentOf(fn: HogFunction, content: Content): HogFunction {
  const schema = content.inputs_schema ?? fn.inputs_schema ?? [];
  const inputs: Record<string, unknown> = isJsonObject(content.inputs) ? { ...content.inputs } : {};
  for (const item of schema) if (item.secret && !Object.hasOwn(inputs, item.key)) inputs[item.key] = { secret: true };
  return {
    ...fn,
    hog: content.hog ?? '',
    inputs_schema: schema,
    inputs,
    filters: content.filters ?? null,
    mappings: content.mappings ?? null,
    masking: content.masking ?? null,
  };
}

/** The text of one of a function's documents. */
export function documentText(fn: HogFunction, kind: FunctionDocKind): string {
  return functionDocuments[kind].serialize(fn);
}

/** Whether two versions of a function differ in a document (compared as PostHog stores it). */
export function documentDiffers(a: HogFunction, b: HogFunction, kind: FunctionDocKind): boolean {
  const spec = functionDocuments[kind];
  return spec.canonical(spec.serialize(a)) !== spec.canonical(spec.serialize(b));
}

/**
 * A read-only snapshot document (`posthog-run:`), e.g. ".../Slack code.hog?draft": the version is the
 * query, so the live and the draft snapshot of a document share a name (diff views show no rename).
 */
export function snapshotUri(env: Environment, fn: HogFunction, label: string, kind: FunctionDocKind): vscode.Uri {
  const leaf = kind === 'code' ? (typeInfo(fn.type).codeLanguage === 'typescript' ? 'code.ts' : 'code.hog') : `${kind}.json`;
  return snapshotFileUri(env, fn, label, leaf);
}

/** The same for any file name of a function (`filters.json`, `function.hog`…). */
export function snapshotFileUri(env: Environment, fn: Pick<HogFunction, 'id' | 'name'>, label: string, file: string): vscode.Uri {
  const name = runDocumentName(functionLabel(fn), fn.id);
  return vscode.Uri.from({ scheme: RUN_SCHEME, authority: authorityOf(env.host), path: `/${env.projectId}/${fn.id}/${name} ${file}`, query: label });
}

export function setSnapshot(s: Services, env: Environment, fn: HogFunction, label: string, kind: FunctionDocKind): vscode.Uri {
  const uri = snapshotUri(env, fn, label, kind);
  s.runs.set(uri, documentText(fn, kind));
  return uri;
}

/** The live document of a function (the editable posthog: one). */
export function liveUri(env: Environment, fn: HogFunction, kind: FunctionDocKind): vscode.Uri {
  return functionUri(env, fn, kind);
}

/**
 * Opens diffs: one diff editor for one pair, else VS Code's multi-file diff (`vscode.changes`), falling
 * back to one diff editor per pair where that command does not exist.
 */
export async function openDiffs(title: string, pairs: readonly { label: string; left: vscode.Uri; right: vscode.Uri }[]): Promise<void> {
  const [first] = pairs;
  if (!first) return;
  if (pairs.length === 1) {
    await vscode.commands.executeCommand('vscode.diff', first.left, first.right, `${title}: ${first.label}`, { preview: false });
    return;
  }
  try {
    await vscode.commands.executeCommand(
      'vscode.changes',
      title,
      pairs.map((p) => [p.right, p.left, p.right]),
    );
  } catch {
    for (const p of pairs) await vscode.commands.executeCommand('vscode.diff', p.left, p.right, `${title}: ${p.label}`, { preview: false });
  }
}

/** "code, inputs and filters" */
export function fieldList(fields: readonly string[]): string {
  const names = fields.map((f) => (f === 'hog' ? 'code' : f === 'inputs_schema' ? 'input schema' : f));
  return names.length <= 1 ? (names[0] ?? 'nothing') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}
