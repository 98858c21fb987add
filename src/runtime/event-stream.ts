// Fan-out of session events to async iterators. Each iterator sees the events produced after it was
// created, in order; nothing is buffered for iterators that do not exist, so a session nobody
// iterates costs no memory. When the stream ends every iterator finishes (or throws the failure).

export class EventStream<T> {
  private readonly subscribers = new Set<Subscriber<T>>();
  private ended = false;
  private failure: Error | undefined;

  push(event: T): void {
    for (const subscriber of this.subscribers) subscriber.push(event);
  }

  /** Ends every iterator after the events already queued; with `failure` they throw it at the end. */
  end(failure?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    for (const subscriber of this.subscribers) subscriber.end(failure);
    this.subscribers.clear();
  }

  iterator(): AsyncIterableIterator<T> {
    const subscriber = new Subscriber<T>(() => this.subscribers.delete(subscriber));
    if (this.ended) subscriber.end(this.failure);
    else this.subscribers.add(subscriber);
    return subscriber;
  }
}

class Subscriber<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: { resolve(result: IteratorResult<T>): void; reject(error: Error): void } | undefined;
  private finished = false;
  private failure: Error | undefined;

  constructor(private readonly detach: () => void) {}

  push(event: T): void {
    if (this.finished) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value: event, done: false });
    } else {
      this.queue.push(event);
    }
  }

  end(failure?: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = failure;
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = undefined;
      this.settleEnd(waiting);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.finished) return new Promise((resolve, reject) => this.settleEnd({ resolve, reject }));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** Leaving a `for await` early unsubscribes. */
  return(): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.failure = undefined;
    this.finished = true;
    this.detach();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private settleEnd(waiting: { resolve(result: IteratorResult<T>): void; reject(error: Error): void }): void {
    const failure = this.failure;
    // The failure is reported once; later next() calls just say done.
    this.failure = undefined;
    if (failure) waiting.reject(failure);
    else waiting.resolve({ value: undefined, done: true });
  }
}
