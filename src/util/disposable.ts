import type * as vscode from 'vscode';

/** Base class that owns disposables: everything registered is disposed with the owner. */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: { dispose(): unknown }[] = [];
  private disposed = false;

  protected register<T extends { dispose(): unknown }>(d: T): T {
    if (this.disposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.owned.splice(0).reverse()) d.dispose();
  }
}
