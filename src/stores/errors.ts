/** A store that cannot be opened: the message is one sentence for the operator, naming the file. */
export type StoreOpenProblem =
  | 'bad-path'
  | 'not-writable'
  | 'corrupt'
  | 'newer-schema'
  | 'unknown'
  /** PostgreSQL (KOBAN_DATABASE_URL): no server answers at that address. */
  | 'unreachable'
  /** PostgreSQL: the server refused the user name or password, or has no such database. */
  | 'refused';

export class StoreOpenError extends Error {
  readonly code = 'STORE_OPEN_FAILED';

  constructor(
    readonly problem: StoreOpenProblem,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

const SETTING = 'KOBAN_DB, default $KOBAN_DATA_DIR/koban.db';

/** The operator's sentence for each problem; `path` is a SQLite file or a PostgreSQL URL without its password. */
export function storeOpenError(problem: StoreOpenProblem, path: string, detail: string): StoreOpenError {
  const postgres = /^postgres(ql)?:/.test(path);
  const where = `the database ${path} (${postgres ? 'KOBAN_DATABASE_URL' : SETTING})`;
  const messages: Record<StoreOpenProblem, string> = {
    unreachable: `cannot reach ${where}: ${detail}; start the PostgreSQL server or correct the host and port in KOBAN_DATABASE_URL.`,
    refused: `${where} refused the connection: ${detail}; check the user name, password and database name in KOBAN_DATABASE_URL.`,
    'bad-path': `cannot open ${where}: ${detail}; set KOBAN_DATA_DIR or KOBAN_DB to a folder path the bot may create.`,
    'not-writable': `cannot open ${where}: ${detail}; give the bot write access to that folder and file, or set KOBAN_DATA_DIR or KOBAN_DB to a writable place.`,
    corrupt: `${where} is damaged (${detail}); restore it from a backup, or move it away so the bot starts with an empty one.`,
    'newer-schema': `${where} was written by a newer koban-assistant (${detail}); upgrade koban-assistant, or set KOBAN_DB to another file.`,
    unknown: `cannot open ${where}: ${detail}; check the file and the KOBAN_DATA_DIR / KOBAN_DB settings.`,
  };
  return new StoreOpenError(problem, path, messages[problem]);
}
