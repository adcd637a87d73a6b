/** Shared option parsing for `koban` commands. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { z } from 'zod';
import { isLang, type Lang } from '../core/languages.js';

export class UsageError extends Error {
  readonly code = 'USAGE';
}

export const COMMON_OPTIONS = {
  knowledge: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<const T extends Options>(argv: string[], options: T) {
  const config = {
    args: argv,
    options: { ...COMMON_OPTIONS, ...options },
    allowPositionals: true,
    strict: true,
  } as const;
  try {
    return parseArgs<typeof config>(config);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

const isoDate = z.iso.datetime({ offset: true, local: true }).or(z.iso.date());

/** `--now` as a Date; an invalid value is a usage error. */
export function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const ok = isoDate.safeParse(value);
  const date = new Date(value);
  if (!ok.success || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--now must be an ISO-8601 date-time such as 2027-01-20T08:00:00+09:00 (got "${value}")`,
    );
  }
  return date;
}

export function parseLangOption(value: string | undefined): Lang | undefined {
  if (value === undefined) return undefined;
  if (!isLang(value))
    throw new UsageError(`--lang must be one of en, ja, id, vi, th, tl, tr, fa (got "${value}")`);
  return value;
}
