/**
 * The web chat's routes on the bot's Hono app: the page and its assets, the JSON API to the
 * assistant (`POST /api/messages`), the visit form, and the private status pages. Every outside
 * input is checked here (zod, body size, CSRF, origin, rate limits); the assistant decides.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { Assistant } from '../../assistant/assistant.js';
import { pendingQuestion } from '../../assistant/handlers/visit.js';
import type { buildVisitForm, FormValues } from '../../assistant/visit-form.js';
import { LANGUAGES, type Lang } from '../../core/languages.js';
import type { IncomingMessage, UserAction } from '../../core/message.js';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { earliestDay } from '../../engines/visits/capacity.js';
import type { Actor } from '../../engines/visits/coordinators.js';
import { fieldErrorMessage } from '../../engines/visits/messages.js';
import { FIELD_KINDS, VISIT_FIELDS, type VisitField } from '../../engines/visits/request.js';
import { canCancel } from '../../engines/visits/status.js';
import { actorKey } from '../../engines/visits/visit-service.js';
import type { Translator } from '../../i18n/i18n.js';
import { AddressLimits } from '../../limits/address-limits.js';
import { answer } from '../../limits/intake.js';
import type { Runtime } from '../../main.js';
import type { HttpApp } from '../../server/http.js';
import type { VisitRecord } from '../../stores/visits.js';
import { newToken, requesterId } from '../../stores/web-tokens.js';
import { CSRF_FIELD, CSRF_HEADER, Csrf, sameOrigin } from './csrf.js';
import { pageLanguage } from './language.js';
import {
  chatPage,
  dirOf,
  messagePage,
  type StatusView,
  statusPage,
  submittedPage,
  visitFormPage,
} from './pages.js';
import { renderReply } from './render.js';
import { existingSession, pageOrigin, type SessionSettings, session } from './session.js';

/** What the web routes use of the runtime; a full `Runtime` fits. */
export type WebRuntime = Pick<
  Runtime,
  'config' | 'logger' | 'i18n' | 'limits' | 'metrics' | 'store' | 'visits' | 'visitForms' | 'visitNotices'
> & { assistant: Pick<Assistant, 'handle' | 'notice'> };

export interface WebRoutesOptions {
  csrf?: Csrf;
  clock?: () => Date;
  /** Replaces the per-IP limiter (KOBAN_WEB_IP_LIMIT per KOBAN_WEB_IP_LIMIT_SECONDS). */
  ipLimiter?: RateLimiterAbstract;
}

/** Largest JSON body the API reads, and largest form post. */
export const API_BODY_LIMIT = 8 * 1024;
export const FORM_BODY_LIMIT = 32 * 1024;

/** The page's assets: a fixed list read once, so no request path ever reaches the file system. */
const ASSET_DIR = join(PACKAGE_ROOT, 'web');
const ASSETS: Record<string, string> = {
  'chat.js': 'text/javascript; charset=utf-8',
  'chat.css': 'text/css; charset=utf-8',
};

const CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

const langSchema = z.enum(LANGUAGES);
const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('faq'), entryId: z.string().min(1).max(200) }),
  z.object({ type: z.literal('language'), lang: langSchema }),
  z.object({ type: z.literal('course'), courseId: z.string().min(1).max(200) }),
  z.object({ type: z.literal('say'), text: z.string().min(1).max(200) }),
]);
const messageSchema = z.object({
  text: z.string().max(4000).default(''),
  lang: langSchema.optional(),
  action: actionSchema.optional(),
});

const formValue = z.union([z.string().max(2000), z.array(z.string().max(500)).max(20)]).optional();
const visitFormSchema = z.object({
  [CSRF_FIELD]: z.string().max(200),
  lang: langSchema.optional(),
  ...Object.fromEntries(VISIT_FIELDS.map((f) => [f, formValue])),
});
const answerSchema = z.object({
  [CSRF_FIELD]: z.string().max(200),
  answer: z.string().max(4000).default(''),
});
const cancelSchema = z.object({ [CSRF_FIELD]: z.string().max(200) });

/** The routes' intake, for the adapter's shutdown: stop taking requests, wait for those in flight. */
export interface WebIntake {
  /** From now on every request gets 503; resolves when the ones in flight are done. */
  close(): Promise<void>;
  readonly inflight: number;
}

export function webRoutes(app: HttpApp, runtime: WebRuntime, options: WebRoutesOptions = {}): WebIntake {
  const { config, i18n, logger } = runtime;
  const csrf = options.csrf ?? new Csrf();
  const clock = options.clock ?? (() => new Date());
  const settings: SessionSettings = {
    publicUrl: config.KOBAN_WEB_PUBLIC_URL,
    trustProxy: config.KOBAN_WEB_TRUST_PROXY,
  };
  const perAddress = new AddressLimits(
    { points: config.KOBAN_WEB_IP_LIMIT, seconds: config.KOBAN_WEB_IP_LIMIT_SECONDS },
    logger,
    options.ipLimiter,
  );
  const assets = Object.fromEntries(
    Object.keys(ASSETS).map((name) => [name, readFileSync(join(ASSET_DIR, name), 'utf8')]),
  );
  const wt = (lang: Lang): Translator => i18n.t(lang, 'web');
  const vt = (lang: Lang): Translator => i18n.t(lang, 'visits');
  const langOf = (c: Context): Lang => pageLanguage(c.req.query('lang'), c.req.header('accept-language'));

  const clientIp = (c: Context): string => {
    if (settings.trustProxy) {
      const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
    return env?.incoming?.socket?.remoteAddress ?? 'unknown';
  };

  const isApi = (c: Context) => c.req.path.startsWith('/api/');
  /** A refusal in the page's language: JSON for the API, a short page otherwise. */
  const refuse = (c: Context, status: 400 | 403 | 404 | 413 | 429, key: string, lang = langOf(c)) => {
    const t = wt(lang);
    c.header('cache-control', 'no-store');
    if (isApi(c)) return c.json({ error: t(key), lang, dir: dirOf(lang) }, status);
    return c.html(messagePage(lang, t(key), t(key), t('form.back')), status);
  };

  const headers = secureHeaders({
    contentSecurityPolicy: CSP,
    // Not no-referrer: with it, browsers send "Origin: null" on form posts and the origin check fails.
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
    crossOriginResourcePolicy: 'same-origin',
  });
  const perIp: MiddlewareHandler = async (c, next) => {
    if (!(await perAddress.admit(clientIp(c)))) return refuse(c, 429, 'errors.rateLimited');
    return next();
  };
  const limitBody = (maxSize: number): MiddlewareHandler =>
    bodyLimit({ maxSize, onError: (c) => refuse(c, 413, 'errors.tooLarge') });

  let closing = false;
  const running = new Set<Promise<void>>();
  const intake: MiddlewareHandler = async (c, next) => {
    if (closing) return c.text('stopping\n', 503, { 'retry-after': '5' });
    const work = next();
    running.add(work);
    try {
      await work;
    } finally {
      running.delete(work);
    }
  };
  for (const path of ['/', '/favicon.ico', '/assets/*', '/api/*', '/visit', '/visit/*'])
    app.use(path, intake, headers);
  app.use('/api/*', perIp, limitBody(API_BODY_LIMIT));
  app.use('/visit', perIp, limitBody(FORM_BODY_LIMIT));
  app.use('/visit/*', perIp, limitBody(FORM_BODY_LIMIT));

  app.get('/', (c) => {
    const lang = langOf(c);
    const sid = session(c, settings);
    c.header('cache-control', 'no-store');
    return c.html(chatPage(wt(lang), lang, csrf.token(sid)));
  });

  app.get('/favicon.ico', (c) => c.body(null, 204));

  app.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    const type = ASSETS[name];
    const body = assets[name];
    if (!type || body === undefined) return c.text('not found\n', 404);
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'no-cache' });
  });

  /** The page's own words in another language (the picker changes them without a reload). */
  app.get('/api/strings', (c) => {
    const parsed = langSchema.safeParse(c.req.query('lang'));
    if (!parsed.success) return refuse(c, 400, 'errors.badRequest');
    const lang = parsed.data;
    const t = wt(lang);
    const page = t('page', { returnObjects: true }) as Record<string, string>;
    return c.json({ lang, dir: dirOf(lang), page, visitHref: `/visit?lang=${lang}` });
  });

  app.post('/api/messages', async (c) => {
    const sid = existingSession(c);
    if (!sameOrigin(c, pageOrigin(c, settings)) || !csrf.verify(sid, c.req.header(CSRF_HEADER)) || !sid)
      return refuse(c, 403, 'errors.expired');
    if (!c.req.header('content-type')?.startsWith('application/json'))
      return refuse(c, 400, 'errors.badRequest');
    const raw: unknown = await c.req.json().catch(() => undefined);
    const parsed = messageSchema.safeParse(raw);
    if (!parsed.success) return refuse(c, 400, 'errors.badRequest');
    const body = parsed.data;
    if (!body.action && body.text.trim() === '')
      return refuse(c, 400, 'errors.badRequest', body.lang ?? langOf(c));
    const msg: IncomingMessage = {
      platform: 'web',
      userId: sid,
      text: body.text,
      direct: true,
      ...(body.lang ? { localeHint: body.lang } : {}),
      ...(body.action ? { action: body.action as UserAction } : {}),
    };
    const reply = await answer(runtime, msg);
    if (!reply) return refuse(c, 429, 'errors.rateLimited', body.lang ?? langOf(c));
    const timeZone = runtime.visits.rules().timeZone;
    return c.json({
      reply: renderReply(reply, {
        t: wt(reply.lang),
        common: i18n.t(reply.lang),
        visitHref: (l) => `/visit?lang=${l}`,
        timeZone,
      }),
    });
  });

  const formHints = (form: ReturnType<typeof buildVisitForm>, lang: Lang) => {
    const t = vt(lang);
    const rules = runtime.visits.rules();
    const hints: Partial<Record<VisitField, string>> = {
      preferredDates: t('form.hint.dates', {
        max: rules.maxPreferredDates,
        earliest: earliestDay(rules, clock()),
      }),
      groupSize: t('form.hint.number', { max: rules.maxGroupSize }),
    };
    return {
      ...form,
      fields: form.fields.map((f) => {
        const hint = hints[f.name as VisitField];
        return hint ? { ...f, hint } : f;
      }),
    };
  };

  app.get('/visit', (c) => {
    const lang = langOf(c);
    const sid = session(c, settings);
    c.header('cache-control', 'no-store');
    return c.html(
      visitFormPage(
        wt(lang),
        vt(lang),
        lang,
        formHints(runtime.visitForms.open(lang), lang),
        csrf.token(sid),
      ),
    );
  });

  /** The form post: the same validation as every way in; errors next to fields, values kept. */
  app.post('/visit', async (c) => {
    const sid = existingSession(c);
    const raw = await c.req.parseBody({ all: true }).catch(() => undefined);
    const parsed = visitFormSchema.safeParse(raw);
    const lang = parsed.success && parsed.data.lang ? parsed.data.lang : langOf(c);
    if (!parsed.success) return refuse(c, 400, 'errors.badRequest', lang);
    if (!sameOrigin(c, pageOrigin(c, settings)) || !sid || !csrf.verify(sid, parsed.data[CSRF_FIELD]))
      return refuse(c, 403, 'errors.expired', lang);
    const verdict = await runtime.limits.admit({ platform: 'web', userId: sid });
    if (verdict.kind !== 'pass') return refuse(c, 429, 'errors.rateLimited', lang);
    const values: FormValues = {};
    for (const field of VISIT_FIELDS) {
      const value = (parsed.data as Record<string, string | string[] | undefined>)[field];
      if (value === undefined) continue;
      // Checkboxes: one ticked box arrives as a single value.
      values[field] = FIELD_KINDS[field] === 'choices' && typeof value === 'string' ? [value] : value;
    }
    const token = newToken();
    const requester: Actor = { platform: 'web', userId: requesterId(token) };
    const result = await runtime.visitForms.submit(values, requester, lang);
    c.header('cache-control', 'no-store');
    if (!result.ok)
      return c.html(
        visitFormPage(wt(lang), vt(lang), lang, formHints(result.form, lang), csrf.token(sid)),
        422,
      );
    await runtime.store.webTokens.save(token, result.ref, clock());
    await runtime.visitNotices.submitted(result.ref);
    const statusUrl = `${pageOrigin(c, settings)}/visit/status/${token}`;
    const summary = result.reply.text.split('\n\n').slice(1).join('\n\n');
    return c.html(submittedPage(wt(lang), lang, result.ref, statusUrl, summary));
  });

  /** The request a status link opens, with the token holder as its requester; undefined for a wrong link. */
  const byToken = async (token: string): Promise<{ record: VisitRecord; actor: Actor } | undefined> => {
    const ref = await runtime.store.webTokens.find(token);
    if (!ref) return undefined;
    const actor: Actor = { platform: 'web', userId: requesterId(token) };
    const shown = await runtime.visits.show(ref, actor);
    return shown.ok ? { record: shown.record, actor } : undefined;
  };

  const statusView = (record: VisitRecord, actor: Actor, lang: Lang): StatusView => {
    const t = wt(lang);
    const v = vt(lang);
    const mine = actorKey(actor);
    const messages = record.history
      .filter((h) => h.note)
      .map((h) => ({
        from: h.actor === mine ? t('status.fromYou') : t('status.fromCoordinators'),
        status: v(`statuses.${h.status}`),
        at: h.at,
        note: h.note ?? '',
      }));
    const decided = ['approved', 'declined', 'needs-info'].includes(record.status);
    const last = record.history.at(-1);
    const notice = decided
      ? runtime.visitNotices.decisionNotice(
          { ...record, requesterLang: lang },
          record.status === 'needs-info' ? pendingQuestion(record) : last?.note,
          new Date(record.updatedAt),
        ).text
      : undefined;
    return {
      ref: record.ref,
      status: v(`statuses.${record.status}`),
      ...(record.visitDate ? { visitDate: record.visitDate } : {}),
      ...(record.meetingPoint ? { meetingPoint: record.meetingPoint } : {}),
      ...(notice ? { notice } : {}),
      messages,
      canAnswer: record.status === 'needs-info',
      canCancel: canCancel(record.status),
      hasCalendar: record.status === 'approved' && Boolean(record.visitDate),
    };
  };

  const showStatus = async (
    c: Context,
    token: string,
    extra: Partial<StatusView> = {},
    status: 200 | 422 = 200,
  ) => {
    const found = await byToken(token);
    const lang = (langSchema.safeParse(c.req.query('lang')).data ?? found?.record.requesterLang) || langOf(c);
    if (!found) return refuse(c, 404, 'status.notFound', lang);
    const sid = session(c, settings);
    c.header('cache-control', 'no-store');
    const view = { ...statusView(found.record, found.actor, lang), ...extra };
    return c.html(statusPage(wt(lang), lang, token, view, csrf.token(sid)), status);
  };

  app.get('/visit/status/:token', (c) => showStatus(c, c.req.param('token')));

  app.get('/visit/status/:token/calendar.ics', async (c) => {
    const found = await byToken(c.req.param('token'));
    if (found?.record.status !== 'approved') return refuse(c, 404, 'status.notFound');
    const notice = runtime.visitNotices.decisionNotice(
      found.record,
      undefined,
      new Date(found.record.updatedAt),
    );
    if (!notice.attachment) return refuse(c, 404, 'status.notFound');
    return c.body(notice.attachment.content, 200, {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': `attachment; filename="${found.record.ref}.ics"`,
      'cache-control': 'no-store',
    });
  });

  /** A status form post: checked, then `act` with the request and its requester. */
  const statusPost = async <S extends z.ZodType<Record<string, unknown>>>(
    c: Context,
    schema: S,
    act: (found: { record: VisitRecord; actor: Actor }, body: z.infer<S>, lang: Lang) => Promise<Response>,
  ): Promise<Response> => {
    const token = c.req.param('token') ?? '';
    const found = await byToken(token);
    const lang = found?.record.requesterLang ?? langOf(c);
    if (!found) return refuse(c, 404, 'status.notFound', lang);
    const parsed = schema.safeParse(await c.req.parseBody().catch(() => undefined));
    if (!parsed.success) return refuse(c, 400, 'errors.badRequest', lang);
    const sid = existingSession(c);
    if (!sameOrigin(c, pageOrigin(c, settings)) || !sid || !csrf.verify(sid, parsed.data[CSRF_FIELD]))
      return refuse(c, 403, 'errors.expired', lang);
    const verdict = await runtime.limits.admit({ platform: 'web', userId: sid });
    if (verdict.kind !== 'pass') return refuse(c, 429, 'errors.rateLimited', lang);
    return act(found, parsed.data, lang);
  };

  app.post('/visit/status/:token/answer', (c) =>
    statusPost(c, answerSchema, async ({ record, actor }, body, lang) => {
      const token = c.req.param('token');
      const result = await runtime.visits.answer(record.ref, actor, body.answer);
      if (!result.ok) {
        if (result.reason === 'invalid')
          return showStatus(
            c,
            token,
            { answerError: result.errors.map((e) => fieldErrorMessage(e, vt(lang))).join(' ') },
            422,
          );
        return showStatus(c, token, { flash: wt(lang)('status.notAllowed') }, 422);
      }
      logger.info({ ref: record.ref }, 'visit request answered by the requester (web)');
      await runtime.visitNotices.answered(record.ref, body.answer.trim());
      return showStatus(c, token, { flash: wt(lang)('status.answered') });
    }),
  );

  app.post('/visit/status/:token/cancel', (c) =>
    statusPost(c, cancelSchema, async ({ record, actor }, _body, lang) => {
      const token = c.req.param('token');
      const result = await runtime.visits.cancel(record.ref, actor);
      const flash = wt(lang)(result.ok ? 'status.cancelled' : 'status.notAllowed');
      return showStatus(c, token, { flash }, result.ok ? 200 : 422);
    }),
  );

  return {
    async close() {
      closing = true;
      await Promise.allSettled([...running]);
    },
    get inflight() {
      return running.size;
    },
  };
}
