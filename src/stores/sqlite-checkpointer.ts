/**
 * SQLite's WAL checkpoints off the event loop. A checkpoint copies the write-ahead log into the
 * database file and flushes both to the disk. By default SQLite runs one inside whichever commit
 * takes the log past 1,000 pages (at 200 messages a second, about once a second), and better-sqlite3
 * runs on the event loop, so every message waits for that flush: 5-60 ms on this machine. Here a
 * worker thread with a connection of its own runs a passive checkpoint (which never blocks a writer
 * or a reader) every `intervalMs`, and the bot's connection checkpoints only if the log grows past
 * `BACKSTOP_PAGES` all the same. Nothing about
 * what survives a crash changes: a commit is in the log either way. If the worker cannot start or
 * stops, the bot's connection checkpoints by itself again, as SQLite does by default.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** SQLite's own default for `wal_autocheckpoint` (pages). */
const AUTOCHECKPOINT_PAGES = 1000;
/**
 * With the worker running, the bot's connection still checkpoints once the log reaches this many
 * pages (40 MB): a worker falling behind a burst of writes never lets the log grow without bound.
 */
const BACKSTOP_PAGES = 10_000;

/** The worker, as CommonJS source: better-sqlite3 is loaded from the path the bot resolved. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage(String(err && err.message));
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface CheckpointerOptions {
  /** How often the worker checkpoints (default 500 ms). */
  intervalMs?: number;
  /** A checkpoint failed (the next one will try again), or the worker stopped. */
  onProblem?: (message: string) => void;
}

export interface Checkpointer {
  /** Ends the worker (it closes its connection); the bot's connection checkpoints by itself again. */
  stop(): void;
}

/** Moves `sqlite`'s checkpoints (a file database in WAL mode at `path`) to a worker thread. */
export function checkpointInBackground(
  sqlite: Database.Database,
  path: string,
  options: CheckpointerOptions = {},
): Checkpointer {
  let running = true;
  const inline = () => {
    if (!running) return;
    running = false;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  let worker: Worker;
  try {
    worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        module: createRequire(import.meta.url).resolve('better-sqlite3'),
        path,
        intervalMs: options.intervalMs ?? 500,
      },
    });
  } catch (err) {
    options.onProblem?.(err instanceof Error ? err.message : String(err));
    return { stop: () => {} };
  }
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  worker.unref();
  worker.on('message', (message: unknown) => options.onProblem?.(String(message)));
  worker.on('error', (err) => options.onProblem?.(err.message));
  worker.on('exit', () => {
    if (running) options.onProblem?.('the checkpoint worker stopped');
    inline();
  });
  return {
    stop: () => {
      if (!running) return;
      inline();
      worker.postMessage('stop');
    },
  };
}
