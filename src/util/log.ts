import * as vscode from 'vscode';

/**
 * The extension's log: a LogOutputChannel named "PostHog" (Output panel), with component tags.
 * Callers must never pass secrets; the API layer only logs method, path, status and duration.
 */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(name = 'PostHog') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  info(component: string, message: string): void {
    this.channel.info(`[${component}] ${message}`);
  }
  warn(component: string, message: string): void {
    this.channel.warn(`[${component}] ${message}`);
  }
  error(component: string, message: string, err?: unknown): void {
    const extra = err instanceof Error && err.stack ? `\n${err.stack}` : '';
    this.channel.error(`[${component}] ${message}${extra}`);
  }
  trace(component: string, message: string): void {
    this.channel.trace(`[${component}] ${message}`);
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}
