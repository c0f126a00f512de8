/**
 * The one reason dialog of the app (ui/ReasonDialog.svelte, mounted by the app's layout) and the
 * calls waiting for it. Calls refused for want of a reason while the dialog is open wait for the same
 * answer, so a save that sends several changes asks once, listing them all.
 */
export class ReasonPrompt {
  /** The changes waiting for a reason, in the order they were refused; null while none is. */
  changes = $state<string[] | null>(null);
  #waiting: ((reason: string | null) => void)[] = [];
  #dialogs = 0;

  /** A dialog that answers is on screen until the returned function is called. */
  attach(): () => void {
    this.#dialogs += 1;
    return () => {
      this.#dialogs -= 1;
      if (this.#dialogs === 0) this.#settle(null);
    };
  }

  /** The reason the user gives for `change`, or null when they cancel (or no dialog can ask). */
  ask(change: string): Promise<string | null> {
    if (this.#dialogs === 0) return Promise.resolve(null);
    const changes = this.changes ?? [];
    this.changes = changes.includes(change) ? changes : [...changes, change];
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
    });
  }

  answer(reason: string): void {
    const given = reason.trim();
    if (given !== '') this.#settle(given);
  }

  cancel(): void {
    this.#settle(null);
  }

  #settle(reason: string | null) {
    const waiting = this.#waiting.splice(0);
    this.changes = null;
    for (const resolve of waiting) resolve(reason);
  }
}

export const reasonPrompt = new ReasonPrompt();
