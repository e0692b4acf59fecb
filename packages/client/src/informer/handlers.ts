// The callbacks an informer delivers changes to. Handlers run synchronously, one change at a
// time and in order, so they should be quick: the controller pattern is to put the object's
// key on a workqueue and return.

export interface EventHandler<T> {
  /** A new object; isInInitialList is true for what the first list (or a late handler's catch-up) found. */
  onAdd?(obj: T, isInInitialList: boolean): void;
  /** A changed object, and on every resync the same object twice (compare resourceVersions to tell). */
  onUpdate?(oldObj: T, newObj: T): void;
  /**
   * A deleted object. finalStateUnknown is true when the deletion was only noticed by a re-list
   * (the watch missed it): obj is then the last state the cache had, as client-go's
   * DeletedFinalStateUnknown.
   */
  onDelete?(obj: T, finalStateUnknown: boolean): void;
}

export interface HandlerRegistration {
  remove(): void;
}

/** Where a handler that throws is reported; it does not stop other handlers. */
export type ErrorReporter = (err: unknown, context: string) => void;

export class HandlerSet<T> {
  private handlers: EventHandler<T>[] = [];

  constructor(private readonly report: ErrorReporter) {}

  add(h: EventHandler<T>): HandlerRegistration {
    this.handlers = [...this.handlers, h];
    return { remove: () => (this.handlers = this.handlers.filter((x) => x !== h)) };
  }

  get count(): number {
    return this.handlers.length;
  }

  addedTo(h: EventHandler<T>, obj: T, initial: boolean): void {
    this.guard(() => h.onAdd?.(obj, initial), 'onAdd');
  }

  added(obj: T, initial: boolean): void {
    for (const h of this.handlers) this.addedTo(h, obj, initial);
  }

  updated(oldObj: T, newObj: T): void {
    for (const h of this.handlers) this.guard(() => h.onUpdate?.(oldObj, newObj), 'onUpdate');
  }

  deleted(obj: T, finalStateUnknown: boolean): void {
    for (const h of this.handlers) this.guard(() => h.onDelete?.(obj, finalStateUnknown), 'onDelete');
  }

  private guard(fn: () => void, what: string): void {
    try {
      fn();
    } catch (e) {
      this.report(e, `event handler ${what}`);
    }
  }
}
