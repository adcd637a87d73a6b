export interface StopOptions {
  graceMs?: number;
}

/** The lifecycle every platform adapter shares. */
export interface Adapter {
  readonly name: string;
  start(): Promise<void>;
  /**
   * Stops taking new messages at once, gives answers already being worked on at most `graceMs`
   * (default: as long as they take), then disconnects. Rejects only when something could not be
   * closed cleanly.
   */
  stop(options?: StopOptions): Promise<void>;
  /** True while connected to its platform (for `GET /healthz`); absent means always. */
  connected?(): boolean;
}
