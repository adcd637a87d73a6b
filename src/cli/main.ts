/**
 * The `koban` command line: a stable interface for operators, scripts and tests. Each command's
 * module is imported when that command runs, so `koban ask` does not load the bot's adapters.
 */
import { existsSync } from 'node:fs';
import { DiscordStartError } from '../adapters/discord/errors.js';
import { SlackSetupError } from '../adapters/slack/errors.js';
import { ConfigError, loadConfig } from '../config.js';
import { isLang } from '../core/languages.js';
import { FollowUpPhrasesError } from '../engines/conversation/follow-up-phrases.js';
import { KnowledgeLoadError } from '../engines/knowledge/knowledge-service.js';
import { VisitPhrasesError } from '../engines/visits/phrases.js';
import { VisitRulesError } from '../engines/visits/rules-file.js';
import { createRuntime, openStore } from '../main.js';
import { CopyRefused } from '../stores/copy.js';
import { StoreOpenError } from '../stores/errors.js';
import { parse, UsageError } from './args.js';
import { askJsonl, replyToJson, toMessage } from './ask.js';

const USAGE = `usage: koban <command> [options]

  start [--console]                 start the bot (console chat when no Slack/Discord tokens are set)
  ask "question" [--json] [--lang xx] [--user ID] [--now ISO-8601]
  ask --jsonl                       one JSON request per stdin line, one JSON reply per line
  kb validate [--go-live]           check every knowledge file, print all problems
                                    (--go-live: also fail on center.yaml values not confirmed)
  kb stats                          entries per language (translation coverage)
  schedule list [--course ID] [--lang xx]
                                    print course timetables
  schedule ics --course ID [--out FILE]
                                    write a course's timetable as an iCalendar file
  discord register-commands [--guild ID]
                                    register the Discord slash commands (idempotent)
  unanswered [--lang xx] [--limit N]
                                    what the bot could not answer, most asked first, and the
                                    answers voted "not helpful"
  feedback [--since DATE] [--json]  FAQ entries by "not helpful" votes, with the questions
  visits submit --json FILE|- [--lang xx] [--user PLATFORM:ID]
                                    create a visit request from JSON; prints {"ref","status"} or {"errors"}
  visits list [--status S] [--json] | visits show REF [--json] | visits export --csv
  visits decide REF --approve|--decline|--needs-info --by PLATFORM:ID
                [--date YYYY-MM-DD --meeting-point TEXT] [--note TEXT]
                                    a coordinator's decision (exit 3 when --by is not a coordinator)
  visits purge --older-than DAYS    delete closed requests (personal data)
  audit [--since DATE] [--json]     coordinator actions and refused attempts
  db migrate | db status            bring the database (KOBAN_DATABASE_URL or the SQLite file) up to date,
                                    or show its migrations (exit 1 when some are pending)
  db copy --from sqlite:PATH --to postgres://… [--force]
                                    copy every table into another database and verify the counts
                                    (refused when the target holds data, unless --force)
  announce create --json FILE|- --by PLATFORM:ID [--dry-run]
                                    queue an announcement (the running bot delivers it);
                                    prints {"id","status"}, or the preview per target with --dry-run
  announce list [--json] | announce status ID [--json]
  announce cancel|withdraw ID --by PLATFORM:ID | announce correct ID --json FILE|- --by PLATFORM:ID
  eval [--set FILE|DIR] [--json] [--thresholds FILE] [--failures]
                                    answer quality per language, next to a naive baseline

every command takes --knowledge DIR (default ./knowledge or $KOBAN_KNOWLEDGE)`;

const out = (s: string): void => {
  process.stdout.write(`${s}\n`);
};

async function run(argv: string[]): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const [command, ...rest] = argv;
  // "koban eval --help" or "koban start -h" shows the usage; it must not run the command.
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (command !== undefined && options.some((a) => a === '--help' || a === '-h')) {
    out(USAGE);
    return 0;
  }
  switch (command) {
    case 'start': {
      const { values } = parse(rest, { console: { type: 'boolean' } });
      const config = loadConfig(process.env, values.knowledge ? { KOBAN_KNOWLEDGE: values.knowledge } : {});
      const { start } = await import('./start.js');
      const code = await start(config, { console: Boolean(values.console) });
      // Requests abandoned at the shutdown deadline must not hold the process open.
      return process.exit(code);
    }
    case 'ask': {
      const { values, positionals } = parse(rest, {
        json: { type: 'boolean' },
        jsonl: { type: 'boolean' },
        lang: { type: 'string' },
        user: { type: 'string' },
        now: { type: 'string' },
      });
      const config = loadConfig(process.env, values.knowledge ? { KOBAN_KNOWLEDGE: values.knowledge } : {});
      if (!values.jsonl && positionals.length === 0) throw new UsageError('ask needs a question, or --jsonl');
      const message = values.jsonl ? undefined : toMessage(positionals.join(' '), values);
      const runtime = await createRuntime(config);
      try {
        if (!message) return await askJsonl(runtime, process.stdin, out);
        const reply = await runtime.assistant.handle(message);
        const json = replyToJson(reply, runtime);
        out(values.json ? JSON.stringify(json) : String(json.text));
        return 0;
      } finally {
        await runtime.close();
      }
    }
    case 'discord': {
      const { discordCli } = await import('./discord.js');
      return await discordCli(rest, loadConfig(process.env), out);
    }
    case 'schedule': {
      const { scheduleCli } = await import('./schedule.js');
      return scheduleCli(rest, loadConfig(process.env).KOBAN_KNOWLEDGE, out);
    }
    case 'kb': {
      const [sub, ...more] = rest;
      const { values } = parse(more, { 'go-live': { type: 'boolean' } });
      const dir = values.knowledge ?? loadConfig(process.env).KOBAN_KNOWLEDGE;
      const { kbStats, kbValidate } = await import('./kb.js');
      if (sub === 'validate') return kbValidate(dir, out, { goLive: values['go-live'] === true });
      if (sub === 'stats') return kbStats(dir, out);
      throw new UsageError('kb takes "validate" or "stats"');
    }
    case 'unanswered': {
      const { values } = parse(rest, { lang: { type: 'string' }, limit: { type: 'string' } });
      const lang = values.lang;
      if (lang !== undefined && !isLang(lang)) throw new UsageError(`unknown language "${lang}"`);
      const limit = values.limit === undefined ? undefined : Number(values.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
        throw new UsageError('--limit takes a positive whole number');
      const { unansweredReport } = await import('./unanswered.js');
      const config = loadConfig(process.env);
      const store = await openStore(config);
      try {
        return await unansweredReport(store.unanswered, config.dbPath, { lang, limit }, out, store.feedback);
      } finally {
        await store.close();
      }
    }
    case 'feedback': {
      const { values } = parse(rest, { since: { type: 'string' }, json: { type: 'boolean' } });
      const { feedbackReport, parseSince } = await import('./feedback.js');
      const since = parseSince(values.since);
      const config = loadConfig(process.env);
      const store = await openStore(config);
      try {
        return await feedbackReport(store.feedback, config.dbPath, { since, json: values.json }, out);
      } finally {
        await store.close();
      }
    }
    case 'visits': {
      const { visitsCli } = await import('./visits.js');
      return await visitsCli(rest, loadConfig(process.env), out);
    }
    case 'announce': {
      const { announceCli } = await import('./announce.js');
      return await announceCli(rest, loadConfig(process.env), out);
    }
    case 'audit': {
      const { auditCli } = await import('./visits.js');
      return await auditCli(rest, loadConfig(process.env), out);
    }
    case 'db': {
      const { dbCli } = await import('./db.js');
      return await dbCli(rest, loadConfig(process.env), out);
    }
    case 'eval': {
      const { values } = parse(rest, {
        set: { type: 'string' },
        json: { type: 'boolean' },
        thresholds: { type: 'string' },
        failures: { type: 'boolean' },
      });
      const config = loadConfig(process.env, values.knowledge ? { KOBAN_KNOWLEDGE: values.knowledge } : {});
      const { evalCommand } = await import('./eval.js');
      return await evalCommand(config, values, out);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`koban: ${err.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (
      err instanceof ConfigError ||
      err instanceof KnowledgeLoadError ||
      err instanceof DiscordStartError ||
      err instanceof SlackSetupError ||
      err instanceof StoreOpenError ||
      err instanceof VisitRulesError ||
      err instanceof VisitPhrasesError ||
      err instanceof CopyRefused ||
      err instanceof FollowUpPhrasesError
    ) {
      process.stderr.write(`koban: ${err.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`koban: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
