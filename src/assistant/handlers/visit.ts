/**
 * Intent `visit`: a delegation requests a visit in a step-by-step form (the half-filled form lives
 * in the store, so it survives a restart; "back" and "cancel" work at every step), asks for the
 * status of its requests, or cancels one. Asking *how* to request stays with the FAQ.
 */
import type { Lang } from '../../core/languages.js';
import type { Reply, ReplyForm } from '../../core/reply.js';
import { parseDate } from '../../engines/schedule/date-parser.js';
import { earliestDay } from '../../engines/visits/capacity.js';
import {
  CONFIRM_STEP,
  checkAnswer,
  type DraftData,
  nextStep,
  prefill,
  readAnswer,
} from '../../engines/visits/form.js';
import { fieldErrorMessage } from '../../engines/visits/messages.js';
import type { VisitPhrases } from '../../engines/visits/phrases.js';
import { normalizeRef } from '../../engines/visits/reference.js';
import {
  FIELD_KINDS,
  type FieldError,
  INTERESTS,
  type Interest,
  OPTIONAL_FIELDS,
  VISIT_FIELDS,
  type VisitField,
} from '../../engines/visits/request.js';
import { canCancel } from '../../engines/visits/status.js';
import type { VisitService } from '../../engines/visits/visit-service.js';
import type { I18nService, Translator } from '../../i18n/i18n.js';
import type { Logger } from '../../logger.js';
import type { Draft, VisitRecord, VisitRepo } from '../../stores/visits.js';
import { makeReply } from '../reply-builder.js';
import type { IntentHandler, Turn } from '../turn.js';
import { buildVisitForm, visitSummary } from '../visit-form.js';

export interface VisitHandlerDeps {
  service: VisitService;
  drafts: VisitRepo;
  phrases: () => VisitPhrases;
  i18n: I18nService;
  logger: Logger;
  /** Called with each new request's reference (the coordinators' post); must not throw. */
  onSubmitted?: (ref: string) => Promise<void>;
  /** Called when a requester answered a coordinator's question (the coordinators' post); must not throw. */
  onAnswered?: (ref: string, answer: string) => Promise<void>;
  /**
   * True when a message typed while the form is open is a correction that names another topic
   * ("no, I meant the timetable"): the form is left and the message read as it is outside the form.
   */
  leavesForm?: (turn: Turn) => boolean | Promise<boolean>;
}

const REF_IN_TEXT = /\bV-?\d{4}-?\d{1,6}\b/i;

/** The coordinators' question a request in `needs-info` waits on: the note of its latest needs-info change. */
export function pendingQuestion(r: VisitRecord): string | undefined {
  return r.history.findLast((h) => h.status === 'needs-info')?.note;
}

export function visitHandler(deps: VisitHandlerDeps) {
  const vt = (lang: Lang): Translator => deps.i18n.t(lang, 'visits');
  const actor = (turn: Turn) => ({ platform: turn.msg.platform, userId: turn.msg.userId });
  /** Drafts read during this turn's match, so handle does not read them twice. */
  const seen = new WeakMap<Turn, Draft | undefined>();

  const interestLabels = (t: Translator) =>
    Object.fromEntries(INTERESTS.map((i) => [i, t(`interests.${i}`)])) as Record<Interest, string>;

  const form = (
    turn: Turn,
    data: DraftData,
    current: VisitField | undefined,
    errors: FieldError[],
  ): ReplyForm => buildVisitForm(vt(turn.lang), data, errors, current);

  const question = (turn: Turn, field: VisitField, step: number): string => {
    const t = vt(turn.lang);
    const rules = deps.service.rules();
    const lines = [t('form.ask', { n: step + 1, total: VISIT_FIELDS.length, field: t(`fields.${field}`) })];
    const kind = FIELD_KINDS[field];
    if (kind === 'dates')
      lines.push(
        t('form.hint.dates', { max: rules.maxPreferredDates, earliest: earliestDay(rules, turn.now) }),
      );
    if (kind === 'number') lines.push(t('form.hint.number', { max: rules.maxGroupSize }));
    if (kind === 'yesno') lines.push(t('form.hint.yesno'));
    if (kind === 'choices')
      lines.push(
        t('form.hint.choices', {
          choices: INTERESTS.map((i, n) => `${n + 1} ${t(`interests.${i}`)}`).join(', '),
        }),
      );
    if (OPTIONAL_FIELDS.has(field)) lines.push(t('form.hint.optional'));
    return lines.join('\n');
  };

  const summary = (turn: Turn, data: DraftData): string => visitSummary(vt(turn.lang), data);

  const ask = async (
    turn: Turn,
    draft: Draft,
    errors: FieldError[] = [],
    intro: string[] = [],
  ): Promise<Reply> => {
    await deps.drafts.saveDraft(turn.userKey, draft, turn.now);
    const t = vt(turn.lang);
    const problems = errors.map((e) => fieldErrorMessage(e, t));
    const field = VISIT_FIELDS[draft.step];
    const body =
      draft.step >= CONFIRM_STEP || !field
        ? t('form.confirm', { summary: summary(turn, draft.data) })
        : question(turn, field, draft.step);
    return makeReply({
      intent: 'visit',
      lang: turn.lang,
      title: t('form.title'),
      text: [...intro, ...problems, body].join('\n\n'),
      form: form(turn, draft.data, draft.step < CONFIRM_STEP ? field : undefined, errors),
    });
  };

  /** A text of the turn names a day, a month or a part of the day (in the center's time zone): a request's detail. */
  const mentionsDay =
    (turn: Turn) =>
    (text: string): boolean => {
      const parsed = parseDate(text, turn.lang, turn.now, deps.service.rules().timeZone);
      return parsed.expr !== undefined || parsed.partOfDay !== undefined;
    };
  const wantsToStart = (turn: Turn): boolean => deps.phrases().wantsToStart(turn.text, mentionsDay(turn));

  const start = async (turn: Turn): Promise<Reply> => {
    const t = vt(turn.lang);
    const data = turn.msg.action ? {} : prefill(turn.text);
    if (!turn.msg.action && data.groupSize === undefined) {
      const size = deps.phrases().groupSize(turn.text);
      if (size !== undefined) data.groupSize = size;
    }
    const intro = [t('form.start', { total: VISIT_FIELDS.length })];
    const known = summary(turn, data);
    if (known) intro.push(t('form.prefilled', { values: known }));
    return ask(turn, { data, step: nextStep(data) }, [], intro);
  };

  const submit = async (turn: Turn, draft: Draft): Promise<Reply> => {
    const t = vt(turn.lang);
    const result = await deps.service.submit(draft.data, actor(turn), turn.lang);
    if (!result.ok) {
      const failed = new Set<string>(result.errors.map((e) => e.field));
      const first = VISIT_FIELDS.findIndex((f) => failed.has(f));
      const step = first < 0 ? 0 : first;
      const field = VISIT_FIELDS[step];
      const data = { ...draft.data };
      if (field) delete data[field];
      return ask(turn, { data, step }, result.errors);
    }
    await deps.drafts.dropDraft(turn.userKey);
    deps.logger.info({ ref: result.ref }, 'visit request submitted');
    await deps.onSubmitted?.(result.ref);
    return makeReply({
      intent: 'visit',
      lang: turn.lang,
      title: t('form.title'),
      text: [
        t('form.submitted', { ref: result.ref, status: t(`statuses.${result.status}`) }),
        summary(turn, draft.data),
      ].join('\n\n'),
    });
  };

  const continueForm = async (turn: Turn, draft: Draft): Promise<Reply> => {
    const t = vt(turn.lang);
    const control = deps.phrases().control(turn.text);
    if (control === 'cancel') {
      await deps.drafts.dropDraft(turn.userKey);
      return makeReply({ intent: 'visit', lang: turn.lang, text: t('form.cancelled') });
    }
    if (control === 'back') {
      const step = Math.max(0, draft.step - 1);
      const field = VISIT_FIELDS[step];
      const data = { ...draft.data };
      if (field) delete data[field];
      return ask(turn, { data, step });
    }
    if (draft.step >= CONFIRM_STEP) {
      if (control === 'yes') return submit(turn, draft);
      return ask(turn, draft);
    }
    const field = VISIT_FIELDS[draft.step];
    if (!field) return ask(turn, { data: draft.data, step: CONFIRM_STEP });
    if (control === 'skip' && OPTIONAL_FIELDS.has(field)) {
      const data = { ...draft.data, [field]: undefined };
      return ask(turn, { data, step: nextStep(data, draft.step + 1) });
    }
    const yesNo = control === 'yes' || control === 'no' ? control : undefined;
    const answer = readAnswer(field, turn.text, interestLabels(t), yesNo);
    if ('error' in answer) return ask(turn, draft, [answer.error]);
    const data = { ...draft.data, [field]: answer.value };
    const rules = deps.service.rules();
    const problems = checkAnswer(field, data, rules, await deps.drafts.bookings(), turn.now);
    if (problems.length > 0) return ask(turn, draft, problems);
    return ask(turn, { data, step: nextStep(data, draft.step + 1) });
  };

  const status = async (turn: Turn): Promise<Reply> => {
    const t = vt(turn.lang);
    const mine = await deps.service.mine(actor(turn));
    if (mine.length === 0)
      return makeReply({ intent: 'visit-status', lang: turn.lang, text: t('status.none') });
    // `mine` lists without history; the question of a request waiting for an answer is read in full.
    const questions = new Map<string, string | undefined>();
    for (const r of mine)
      if (r.status === 'needs-info') {
        const full = await deps.drafts.get(r.ref);
        questions.set(r.ref, full ? pendingQuestion(full) : undefined);
      }
    const lines = mine.flatMap((r) => {
      const line = t(r.visitDate ? 'status.lineOnDate' : 'status.line', {
        ref: r.ref,
        status: t(`statuses.${r.status}`),
        date: r.visitDate ?? r.preferredDates.join(', '),
        place: r.meetingPoint ?? '',
      });
      const question = questions.get(r.ref);
      return question ? [line, t('status.question', { question })] : [line];
    });
    return makeReply({
      intent: 'visit-status',
      lang: turn.lang,
      text: [t('status.heading'), ...lines].join('\n'),
    });
  };

  const cancel = async (turn: Turn): Promise<Reply> => {
    const t = vt(turn.lang);
    const typed = REF_IN_TEXT.exec(turn.text)?.[0];
    let ref = typed ? normalizeRef(typed) : undefined;
    if (!ref) {
      const open = (await deps.service.mine(actor(turn))).filter((r) => canCancel(r.status));
      if (open.length !== 1 || !open[0])
        return makeReply({
          intent: 'visit',
          lang: turn.lang,
          text: t('cancel.which', { example: 'V-2027-0042' }),
        });
      ref = open[0].ref;
    }
    const result = await deps.service.cancel(ref, actor(turn));
    if (result.ok) return makeReply({ intent: 'visit', lang: turn.lang, text: t('cancel.done', { ref }) });
    if (result.reason === 'not-allowed') {
      const record = await deps.drafts.get(ref);
      return makeReply({
        intent: 'visit',
        lang: turn.lang,
        text: t('cancel.notAllowed', { ref, status: record ? t(`statuses.${record.status}`) : '' }),
      });
    }
    return makeReply({ intent: 'visit', lang: turn.lang, text: t('cancel.notFound', { ref }) });
  };

  /** The request a message answers: the one it names, else the latest waiting for an answer. */
  const answerTarget = (turn: Turn, waiting: VisitRecord[]): VisitRecord | undefined => {
    const typed = REF_IN_TEXT.exec(turn.text)?.[0];
    const ref = typed ? normalizeRef(typed) : undefined;
    const named = ref ? waiting.find((r) => r.ref === ref) : undefined;
    return named ?? [...waiting].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)).at(-1);
  };

  const answer = async (turn: Turn, record: VisitRecord): Promise<Reply> => {
    const t = vt(turn.lang);
    const result = await deps.service.answer(record.ref, actor(turn), turn.text);
    if (!result.ok) {
      const text =
        result.reason === 'invalid'
          ? result.errors.map((e) => fieldErrorMessage(e, t)).join('\n')
          : t('answer.notAllowed', { ref: record.ref });
      return makeReply({ intent: 'visit', lang: turn.lang, text });
    }
    deps.logger.info({ ref: record.ref }, 'visit request answered by the requester');
    await deps.onAnswered?.(record.ref, turn.text.trim());
    return makeReply({ intent: 'visit', lang: turn.lang, text: t('answer.done', { ref: record.ref }) });
  };

  /** In a direct message, a requester whose request waits for their answer is answering it. */
  const waitingFor = async (turn: Turn): Promise<VisitRecord | undefined> => {
    if (!turn.msg.direct || !turn.text.trim()) return undefined;
    const phrases = deps.phrases();
    if (wantsToStart(turn) || phrases.asksStatus(turn.text) || phrases.asksCancel(turn.text))
      return undefined;
    const waiting = await deps.service.awaitingAnswer(actor(turn));
    return waiting.length > 0 ? answerTarget(turn, waiting) : undefined;
  };
  const answering = new WeakMap<Turn, VisitRecord>();

  return {
    intent: 'visit',
    async match(turn: Turn): Promise<boolean> {
      if (turn.msg.action) return turn.msg.action.type === 'visit';
      const draft = await deps.drafts.draft(turn.userKey);
      seen.set(turn, draft);
      if (draft && !deps.phrases().control(turn.text) && (await deps.leavesForm?.(turn))) {
        // Never trapped in the form: a correction drops the half-filled form, as "cancel" does.
        await deps.drafts.dropDraft(turn.userKey);
        seen.set(turn, undefined);
        deps.logger.info('visit form left by a correction');
        return false;
      }
      if (draft) return true;
      const waiting = await waitingFor(turn);
      if (waiting) {
        answering.set(turn, waiting);
        return true;
      }
      const phrases = deps.phrases();
      if (wantsToStart(turn)) return true;
      // Status is answered for anyone ("you have no requests yet"); cancel only for requesters.
      if (phrases.asksStatus(turn.text)) return true;
      if (phrases.asksCancel(turn.text)) return (await deps.service.mine(actor(turn))).length > 0;
      return false;
    },
    async handle(turn: Turn): Promise<Reply> {
      if (turn.msg.action?.type === 'visit') return start(turn);
      const draft = seen.has(turn) ? seen.get(turn) : await deps.drafts.draft(turn.userKey);
      if (draft) return continueForm(turn, draft);
      const waiting = answering.get(turn) ?? (await waitingFor(turn));
      if (waiting) return answer(turn, waiting);
      const phrases = deps.phrases();
      if (phrases.asksCancel(turn.text) && (await deps.service.mine(actor(turn))).length > 0)
        return cancel(turn);
      if (phrases.asksStatus(turn.text)) return status(turn);
      return start(turn);
    },
  } satisfies IntentHandler;
}
