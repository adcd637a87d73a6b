/** The lifecycle every platform adapter shares. */
export interface Adapter {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** True while connected to its platform (for `GET /healthz`); absent means always. */
  connected?(): boolean;
}
