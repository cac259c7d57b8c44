import * as vscode from 'vscode';
import { environmentKey, normaliseHost, type Environment } from '../model/environment';
import { functionLabel } from '../model/treeModel';
import { filesToFunction, filesWithKeys, FolderError, functionToFiles, META_FILE, type FolderFiles, type LocalFunction } from '../sync/folder';
import { pulledFrom } from '../sync/push';
import type { Node } from '../tree/nodes';
import { orCancel } from './errorBoundary';
import { pickEnvironment } from './pick';
import { readText } from './pullToWorkspace';
import type { Services } from './services';
import { applyToEnvironment, type ApplyOutcome } from './syncSupport';

/**
 * "PostHog: Push to PostHog": a pulled function folder (or a folder of them) back to PostHog — the
 * difference against the function shown per file, then one PATCH of only the changed fields, conditional
 * on the version the folder was pulled at (a change made in PostHog since is a conflict: Overwrite or
 * cancel). A folder without an id, or for an environment not signed in here, creates the function (a copy).
 */
export async function pushToPostHog(s: Services, _node?: Node, arg?: unknown): Promise<void> {
  const start =
    arg instanceof vscode.Uri
      ? arg
      : (activeFile() ??
        orCancel((await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Push to PostHog', title: 'Push which function folder?' }))?.[0]));
  const folders = await functionFolders(start);
  if (folders.length === 0) {
    throw new Error(`${vscode.workspace.asRelativePath(start)} holds no function folder (a folder with a function.json, as "PostHog: Pull to Workspace…" writes).`);
  }
  const results: string[] = [];
  for (const dir of folders) {
    const outcome = await pushFolder(s, dir);
    results.push(describe(outcome, vscode.workspace.asRelativePath(dir)));
  }
  void vscode.window.showInformationMessage(results.join(' '));
}

function activeFile(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri?.scheme === 'file' ? uri : undefined;
}

function describe(o: ApplyOutcome, rel: string): string {
  const name = `"${functionLabel(o.fn)}"`;
  const left = o.notCopied.length > 0 ? ` Not copied: ${o.notCopied.join('; ')}.` : '';
  if (o.action === 'unchanged') return `${rel}: ${name} is up to date.`;
  if (o.action === 'created') return `${rel}: created ${name} (disabled).${left}`;
  return `${rel}: pushed to ${name}.`;
}

/** The function folders at `uri`: its own folder when it is one (or a file in one), else its subfolders that are. */
async function functionFolders(uri: vscode.Uri): Promise<vscode.Uri[]> {
  const stat = await vscode.workspace.fs.stat(uri);
  const dir = stat.type === vscode.FileType.Directory ? uri : vscode.Uri.joinPath(uri, '..');
  if ((await readText(vscode.Uri.joinPath(dir, META_FILE))) !== undefined) return [dir];
  const out: vscode.Uri[] = [];
  for (const [name, type] of (await vscode.workspace.fs.readDirectory(dir)).sort(([a], [b]) => a.localeCompare(b))) {
    if (type === vscode.FileType.Directory && (await readText(vscode.Uri.joinPath(dir, name, META_FILE))) !== undefined) out.push(vscode.Uri.joinPath(dir, name));
  }
  return out;
}

async function pushFolder(s: Services, dir: vscode.Uri): Promise<ApplyOutcome> {
  const rel = vscode.workspace.asRelativePath(dir);
  const files: FolderFiles = {};
  for (const [name, type] of await vscode.workspace.fs.readDirectory(dir)) {
    if (type !== vscode.FileType.File) continue;
    const text = await readText(vscode.Uri.joinPath(dir, name));
    if (text !== undefined && text.length <= 1024 * 1024) files[name] = text;
  }
  const withKeys = filesWithKeys(files);
  if (withKeys.length > 0) {
    throw new Error(
      `Not pushed: ${withKeys.map((f) => `${rel}/${f}`).join(', ')} contain${withKeys.length === 1 ? 's' : ''} what looks like a PostHog API key (phx_…/phs_…). Keys never belong in files: remove it and rotate the key.`,
    );
  }
  let local: LocalFunction;
  try {
    local = filesToFunction(files);
  } catch (e) {
    if (e instanceof FolderError) throw new Error(`Not pushed: ${e.problems.map((p) => `${rel}/${p.file}: ${p.message}`).join(' ')}`);
    throw e;
  }
  const env = await environmentOf(s, local, rel);
  const outcome = await applyToEnvironment(s, env, local, { localUri: (f) => vscode.Uri.joinPath(dir, f), source: rel });
  if (outcome.action === 'updated' && pulledFrom(local, env)) {
    // The next push is made against this version: function.json records it (nothing else is rewritten).
    const meta = functionToFiles(outcome.fn, env)[META_FILE];
    if (meta !== undefined) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, META_FILE), new TextEncoder().encode(meta));
  }
  return outcome;
}

/** The signed-in environment function.json names; else one picked (the push is then a copy). */
async function environmentOf(s: Services, local: LocalFunction, rel: string): Promise<Environment> {
  await s.registry.ensureEnvDiscovered();
  const from = local.meta.environment;
  const known = from && s.registry.list().find((e) => environmentKey(e) === environmentKey({ host: normaliseHost(from.host), projectId: from.project_id }));
  if (known) return known;
  const why = from ? `${rel} was pulled from project ${from.project_id} on ${from.host}, which is not signed in here.` : `${rel}/function.json names no environment.`;
  const choice = await vscode.window.showWarningMessage(
    why,
    { modal: true, detail: 'Push it to another environment instead (it is created there, or updates the function of the same name)?' },
    'Choose Environment…',
  );
  if (choice !== 'Choose Environment…') orCancel(undefined);
  return pickEnvironment(s, undefined, `Push ${rel} to which environment?`);
}
