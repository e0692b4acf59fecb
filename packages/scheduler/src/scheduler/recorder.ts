// What the scheduler needs of an Event recorder (the client's EventRecorder is one): record
// and return at once; the recorder writes, de-duplicates and rate-limits in the background.

export interface Recorder {
  event(object: { apiVersion?: string; kind?: string; metadata?: object }, type: 'Normal' | 'Warning', reason: string, message: string): void;
}
