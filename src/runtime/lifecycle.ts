// Ownership of kernel objects during a session: everything opened is registered here as soon as it
// exists, so that one call releases it all in reverse order of creation on every path (normal stop,
// failed load, failed attach, a throwing record handler).

export interface Closable {
  close(): void;
}

export class ResourceStack {
  private readonly stack: { readonly what: string; readonly resource: Closable }[] = [];

  /** Registers `resource` and returns it, so creation and ownership happen in one expression. */
  own<T extends Closable>(what: string, resource: T): T {
    this.stack.push({ what, resource });
    return resource;
  }

  get size(): number {
    return this.stack.length;
  }

  /**
   * Closes everything, newest first. A close that throws does not stop the others; the failures are
   * returned (not thrown) so that teardown on an error path never hides the original error.
   */
  closeAll(): Error[] {
    const failures: Error[] = [];
    while (this.stack.length > 0) {
      const { what, resource } = this.stack.pop()!;
      try {
        resource.close();
      } catch (error) {
        failures.push(new Error(`closing ${what}: ${error instanceof Error ? error.message : String(error)}`));
      }
    }
    return failures;
  }
}
