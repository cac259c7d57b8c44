import * as vscode from 'vscode';
import type { Node } from '../tree/nodes';
import type { FunctionDocKind } from '../model/docPath';
import type { Environment } from '../model/environment';
import { functionLabel } from '../model/treeModel';
import { DOC_KINDS, drafts, functionFor, liveUri, setSnapshot, withContentOf } from './changeSupport';
import { orCancel } from './errorBoundary';
import type { Services } from './services';

/**
 * A revision's document against the current one (the live, editable document on the right). From the
 * revisions view: the document kind the view follows; from the palette: a revision and a document picked.
 */
export async function compareRevision(s: Services, node?: Node, arg?: unknown): Promise<void> {
  const target = await functionFor(s, node, arg, { title: 'Compare a revision of which hog function?' });
  const { env, functionId } = target;
  const picked = revisionArg(arg) ?? (await pickRevision(s, target));
  const kind: FunctionDocKind = picked.kind ?? target.kind ?? 'code';
  const service = drafts(s);
  const [fn, revision] = await Promise.all([s.store.fetch(env, functionId), service.revision(env, functionId, picked.version)]);
  if (!revision.content) throw new Error(`PostHog sent revision ${picked.version} without its content.`);
  const old = withContentOf(fn, revision.content);
  const left = setSnapshot(s, env, old, `version ${picked.version}`, kind);
  await vscode.commands.executeCommand('vscode.diff', left, liveUri(env, fn, kind), `"${functionLabel(fn)}" ${kind}: version ${picked.version} ↔ current`, { preview: true });
}

function revisionArg(arg: unknown): { version: number; kind?: FunctionDocKind } | undefined {
  if (typeof arg !== 'object' || arg === null || !('version' in arg) || typeof arg.version !== 'number') return undefined;
  const kind = 'kind' in arg && typeof arg.kind === 'string' && (DOC_KINDS as readonly string[]).includes(arg.kind) ? (arg.kind as FunctionDocKind) : undefined;
  return { version: arg.version, kind };
}

async function pickRevision(s: Services, t: { env: Environment; functionId: string; kind?: FunctionDocKind }): Promise<{ version: number; kind?: FunctionDocKind }> {
  const page = await drafts(s).revisions(t.env, t.functionId, 0, 100);
  if (page.items.length === 0) throw new Error('PostHog has no revisions of this function yet: it records one for every change of the live configuration.');
  const revision = orCancel(
    await vscode.window.showQuickPick(
      page.items.map((r) => ({
        label: `Version ${r.version}`,
        description: `${r.created_by?.email ?? 'before revisions were recorded'} · ${new Date(r.created_at).toLocaleString()}`,
        version: r.version,
      })),
      { title: 'Compare which revision with the current version?' },
    ),
  );
  const kind =
    t.kind ??
    orCancel(
      await vscode.window.showQuickPick(
        DOC_KINDS.map((k) => ({ label: k, doc: k })),
        { title: 'Which document?' },
      ),
    ).doc;
  return { version: revision.version, kind };
}
