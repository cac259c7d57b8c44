import * as vscode from 'vscode';
import { isPostHogError } from '../api/errors';
import { Commands } from '../constants';
import type { Log } from '../util/log';
import { errorMessage } from '../util/errorMessage';

/** Thrown when the user dismisses a prompt: the command stops silently. */
export class UserCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'UserCancelled';
  }
}

/** Returns the value, or stops the command silently when the user dismissed the prompt. */
export function orCancel<T>(value: T | undefined): T {
  if (value === undefined) throw new UserCancelled();
  return value;
}

/**
 * The one error boundary of every command: cancellation is silent; anything else is logged and shown
 * as one sentence with a "Show Log" button. Secrets never reach the message (the API layer never puts
 * them there, and commands never interpolate keys).
 */
export async function reportErrors(log: Log, commandId: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (e instanceof UserCancelled || (isPostHogError(e) && e.isCancelled) || e instanceof vscode.CancellationError) return;
    const message = errorMessage(e);
    log.error('command', `${commandId} failed: ${message}`, isPostHogError(e) ? undefined : e);
    const choice = await vscode.window.showErrorMessage(message, 'Show Log');
    if (choice === 'Show Log') await vscode.commands.executeCommand(Commands.showLog);
  }
}
