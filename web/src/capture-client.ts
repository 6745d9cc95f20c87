// The page's side of the capture worker: requests with ids answered by promises, and a listener
// for what the worker says on its own (progress, loaded, errors).

import type { FromWorker, ToWorker } from './protocol.js';

type Unsolicited = Extract<FromWorker, { type: 'progress' | 'loaded' | 'error' }>;
type Answer = Exclude<FromWorker, Unsolicited>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type Request = DistributiveOmit<Extract<ToWorker, { id: number }>, 'id'>;
/** Which answer each request gets. */
interface AnswerOf {
  rows: Extract<Answer, { type: 'rows' }>;
  filter: Extract<Answer, { type: 'view' }>;
  sort: Extract<Answer, { type: 'view' }>;
  select: Extract<Answer, { type: 'details' }>;
  position: Extract<Answer, { type: 'position' }>;
}

export class CaptureClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, (answer: Answer) => void>();

  constructor(onEvent: (event: Unsolicited) => void) {
    this.worker = new Worker(new URL('./worker/capture.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'progress' || m.type === 'loaded' || m.type === 'error') {
        onEvent(m);
        return;
      }
      const resolve = this.pending.get(m.id);
      if (resolve) {
        this.pending.delete(m.id);
        resolve(m);
      }
    };
    this.worker.onerror = (e) => onEvent({ type: 'error', message: e.message || 'The capture worker failed.' });
  }

  openFile(file: File): void {
    this.worker.postMessage({ type: 'open-file', file } satisfies ToWorker);
  }

  openUrl(url: string, name: string, size: number): void {
    this.worker.postMessage({ type: 'open-url', url, name, size } satisfies ToWorker);
  }

  request<T extends Request['type']>(message: Extract<Request, { type: T }>): Promise<AnswerOf[T]> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (answer: Answer) => void);
      this.worker.postMessage({ ...message, id } as ToWorker);
    });
  }

  terminate(): void {
    this.worker.terminate();
  }
}
