import * as vscode from 'vscode';
import { Commands, type CommandId } from '../constants';
import { exportsFunctions, loadChunk } from '../util/chunk';
import { errorMessage } from '../util/errorMessage';
import type * as HandlersModule from './handlers';
import type { Services } from './services';

type Handlers = typeof HandlersModule;

/**
 * Registers every command. Each one loads the handlers' bundle (dist/commands.js) the first time any
 * command runs; `load` is replaceable for plain builds.
 */
export function registerCommands(s: Services, extensionPath: string, load: () => Handlers = () => loadChunk(extensionPath, 'commands', isHandlers)): vscode.Disposable[] {
  let handlers: Handlers | undefined;
  const ids: readonly CommandId[] = Object.values(Commands);
  return ids.map((id) =>
    vscode.commands.registerCommand(id, async (node?: unknown) => {
      try {
        handlers ??= load();
      } catch (e) {
        // The central error handler lives in that bundle: a broken install is said here.
        const message = `PostHog commands are unavailable: ${errorMessage(e)} Reinstall the extension.`;
        s.log.error('command', message, e);
        void vscode.window.showErrorMessage(message);
        return;
      }
      await handlers.runCommand(id, s, node);
    }),
  );
}

function isHandlers(m: unknown): m is Handlers {
  return exportsFunctions(m, ['runCommand']);
}
