import * as vscode from 'vscode';
import { Commands, SCHEME, type CommandId } from '../constants';
import { exportsFunctions, loadChunk } from '../util/chunk';
import { errorMessage } from '../util/errorMessage';
import type * as HandlersModule from './handlers';
import type { Services } from './services';

type Handlers = typeof HandlersModule;

/**
 * Registers every command. Each one loads the handlers' bundle (dist/commands.js) the first time any
 * command runs; `load` is replaceable for plain builds. The same bundle holds what only function
 * documents need (status item, hover, revisions view): attached when the first posthog: editor is shown.
 */
export function registerCommands(s: Services, extensionPath: string, load: () => Handlers = () => loadChunk(extensionPath, 'commands', isHandlers)): vscode.Disposable[] {
  let handlers: Handlers | undefined;
  const get = (): Handlers | undefined => {
    try {
      return (handlers ??= load());
    } catch (e) {
      // The central error handler lives in that bundle: a broken install is said here.
      const message = `PostHog commands are unavailable: ${errorMessage(e)} Reinstall the extension.`;
      s.log.error('command', message, e);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  };
  const ids: readonly CommandId[] = Object.values(Commands);
  const attached: { dispose(): unknown }[] = [];
  let attachTried = false;
  const attach = (editor: vscode.TextEditor | undefined): void => {
    if (attachTried || editor?.document.uri.scheme !== SCHEME) return;
    attachTried = true; // once, even when the bundle fails to load (said once by get())
    attached.push(...(get()?.attachDocumentFeatures(s) ?? []));
  };
  // An editor restored with the window: attached right after activation, not during it.
  const initial = setTimeout(() => {
    attach(vscode.window.activeTextEditor);
  }, 0);
  return [
    ...ids.map((id) =>
      vscode.commands.registerCommand(id, async (node?: unknown) => {
        const h = get();
        if (h) await h.runCommand(id, s, node);
      }),
    ),
    vscode.window.onDidChangeActiveTextEditor(attach),
    new vscode.Disposable(() => {
      clearTimeout(initial);
      for (const d of attached) d.dispose();
    }),
  ];
}

function isHandlers(m: unknown): m is Handlers {
  return exportsFunctions(m, ['runCommand', 'attachDocumentFeatures']);
}
