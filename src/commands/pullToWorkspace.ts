import * as vscode from 'vscode';
import type { HogFunction, HogFunctionSummary } from '../api/schemas';
import { fileSafe } from '../model/docPath';
import type { Environment } from '../model/environment';
import { filesWithKeys, folderNames, functionToFiles, idInMeta, MAPPINGS_FILE, META_FILE, type FolderFiles } from '../sync/folder';
import type { Node } from '../tree/nodes';
import { orCancel } from './errorBoundary';
import { pickEnvironment } from './pick';
import type { Services } from './services';

/**
 * "PostHog: Pull to Workspace…": one function (function node), a type folder or a whole environment as
 * folders of files in the workspace (src/sync/folder.ts: function.hog, inputs.json, filters.json,
 * mappings.json, function.json). A function pulled before keeps its folder; unchanged files are not
 * rewritten, so git shows exactly what changed in PostHog.
 */
export async function pullToWorkspace(s: Services, node?: Node): Promise<void> {
  const root = vscode.workspace.workspaceFolders?.[0];
  if (!root) throw new Error('Open a folder first (File › Open Folder…): pulled functions are written into the workspace.');
  let env: Environment;
  let pick: (items: readonly HogFunctionSummary[]) => HogFunctionSummary[];
  let scope: string;
  if (node?.kind === 'function' || node?.kind === 'functionDoc') {
    env = node.env;
    const id = node.fn.id;
    pick = (items) => items.filter((f) => f.id === id);
    scope = `"${node.fn.name ?? id}"`;
  } else if (node?.kind === 'type') {
    env = node.env;
    const type = node.info.type;
    pick = (items) => items.filter((f) => (f.type ?? 'destination') === type);
    scope = `the ${node.info.label.toLowerCase()}`;
  } else {
    env = node?.kind === 'environment' || node?.kind === 'functions' ? node.env : await pickEnvironment(s, node, 'Pull the hog functions of which environment?');
    pick = (items) => [...items];
    scope = 'every hog function';
  }
  const relative = orCancel(
    await vscode.window.showInputBox({
      title: `Pull ${scope} of ${env.name} into`,
      prompt: 'A folder in the workspace (one folder per function inside it). Pull again to update it.',
      value: `posthog/${fileSafe(env.name) || String(env.projectId)}`,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' || v.split(/[\\/]/).includes('..') ? 'A folder inside the workspace, e.g. posthog/production.' : undefined),
    }),
  ).trim();
  const dir = vscode.Uri.joinPath(root.uri, ...relative.split(/[\\/]+/).filter(Boolean));
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Pulling ${scope} of ${env.name}…`, cancellable: true },
    async (progress, token) => {
      const summaries = pick(await s.store.load(env, true));
      if (summaries.length === 0) throw new Error(`${env.name} has no hog functions to pull.`);
      const full: HogFunction[] = [];
      for (const f of summaries) {
        if (token.isCancellationRequested) throw new vscode.CancellationError();
        full.push(await s.store.fetch(env, f.id));
        progress.report({ message: `${full.length}/${summaries.length}`, increment: 100 / summaries.length });
      }
      await vscode.workspace.fs.createDirectory(dir);
      const names = folderNames(full, await existingFolders(dir));
      let written = 0;
      const refused: string[] = [];
      /** The first folder written: what "Reveal in Explorer" shows (never a refused function's). */
      let first: vscode.Uri | undefined;
      for (const fn of full) {
        const files = functionToFiles(fn, env);
        // A key pasted into a function's code must not reach the workspace (and git) through a pull.
        if (filesWithKeys(files).length > 0) {
          refused.push(fn.name ?? fn.id);
          continue;
        }
        const folder = vscode.Uri.joinPath(dir, names.get(fn.id) ?? fn.id);
        written += await writeFolder(folder, files);
        first ??= folder;
      }
      return { count: full.length - refused.length, written, refused, first };
    },
  );
  s.log.info('command', `pulled ${result.count} function(s) of ${env.name} into ${relative} (${result.written} file(s) written)`);
  const pulled = `Pulled ${result.count} function${result.count === 1 ? '' : 's'} of ${env.name} into ${relative} (${result.written === 0 ? 'no file changed' : `${result.written} file${result.written === 1 ? '' : 's'} written`}).`;
  // One notification: what was pulled, and (as a warning) what was not and why.
  const choice =
    result.refused.length > 0
      ? await vscode.window.showWarningMessage(
          `${pulled} Not pulled: ${result.refused.map((n) => `"${n}"`).join(', ')} — the code or inputs hold what looks like a PostHog API key (phx_…/phs_…), which must never land in the workspace. Move it into a secret input in PostHog, then pull again.`,
          'Reveal in Explorer',
        )
      : await vscode.window.showInformationMessage(pulled, 'Reveal in Explorer');
  if (choice && result.first) await vscode.commands.executeCommand('revealInExplorer', result.first);
}

/** id → folder name of the functions already pulled into `dir`. */
async function existingFolders(dir: vscode.Uri): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const [name, type] of await vscode.workspace.fs.readDirectory(dir)) {
    if (type !== vscode.FileType.Directory) continue;
    try {
      const id = idInMeta(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name, META_FILE))));
      if (id !== undefined) found.set(id, name);
    } catch {
      // not a function folder
    }
  }
  return found;
}

/** Writes the files that differ (and removes a mappings.json the function no longer has); returns how many. */
async function writeFolder(dir: vscode.Uri, files: FolderFiles): Promise<number> {
  await vscode.workspace.fs.createDirectory(dir);
  let changed = 0;
  for (const [name, text] of Object.entries(files)) {
    const file = vscode.Uri.joinPath(dir, name);
    if ((await readText(file)) === text) continue;
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
    changed++;
  }
  if (files[MAPPINGS_FILE] === undefined && (await readText(vscode.Uri.joinPath(dir, MAPPINGS_FILE))) !== undefined) {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(dir, MAPPINGS_FILE));
    changed++;
  }
  return changed;
}

export async function readText(file: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch {
    return undefined;
  }
}
