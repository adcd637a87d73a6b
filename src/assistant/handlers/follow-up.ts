/**
 * Follow-ups to the last schedule or FAQ answer, within 30 minutes: "and tomorrow?", "where is it?",
 * "what time does it end?", "and the one after?", "in Japanese please", "tell me more", "no, I meant
 * the visit". Without a fresh context, or when the message is not one of them, it falls through.
 */
import type { Lang } from '../../core/languages.js';
import type { Reply } from '../../core/reply.js';
import {
  type FollowUp,
  type FollowUpPhrases,
  QUESTION_MARK,
} from '../../engines/conversation/follow-up-phrases.js';
import type { FaqMatch } from '../../engines/knowledge/faq-engine.js';
import type { KnowledgeService } from '../../engines/knowledge/knowledge-service.js';
import type { Session } from '../../engines/schedule/course-file.js';
import { localized } from '../../engines/schedule/course-file.js';
import { parseDate } from '../../engines/schedule/date-parser.js';
import { isClosingRemark, type ScheduleQuestion } from '../../engines/schedule/question.js';
import type { ScheduleService } from '../../engines/schedule/schedule-service.js';
import type { I18nService } from '../../i18n/i18n.js';
import type { LastAnswer } from '../../stores/context.js';
import { type ConversationMemory, fromQueryRef, sessionById } from '../conversation-memory.js';
import { makeReply } from '../reply-builder.js';
import { smalltalkMatcherFor } from '../smalltalk-match.js';
import type { IntentHandler, Turn } from '../turn.js';
import { searchTurn } from '../turn-search.js';
import { answerReply } from './faq.js';

/** A suggestion or "meant" answer must be at least this close. */
const MEANT_FLOOR = 0.35;
/** Where an acknowledgement before a follow-up may end: a space or punctuation ("ok thx, and tmrw?"). */
const ACK_BOUNDARY = /[\s,，、،;；!！.。]+/gu;
/** A break between sentences or clauses inside a message ("salamat po. tapos ano kasunod?"). */
const SENTENCE_BREAK = /[,，、،;；!！.。?？؟]\s*\S/u;
/** A word of one or two Latin letters. */
const SHORT_LATIN = /^\p{Script=Latin}{1,2}$/u;
/** An acknowledgement is short: "ok thanks a lot" at most. */
const ACK_MAX_WORDS = 4;

/**
 * How sure the FAQ must be of the words after a follow-up's question mark for them to be a question
 * of their own ("where is it? and what should i wear": 1.0) rather than a remark ("what time does
 * it end? i have to call my wife" finds the dormitory's answer at 0.65, "家に電話したいので" the
 * emergency numbers at 0.77).
 */
const REST_QUESTION_CONFIDENCE = 0.9;

/** How sure small talk must be that a message read word by word as a follow-up is a thanks instead. */
const CLOSING_MIN_CONFIDENCE = 0.9;

type Found =
  | FollowUp
  | { kind: 'another_day'; question: ScheduleQuestion }
  /** A question the FAQ answers with nothing alone, its best guess being the entry just answered. */
  | { kind: 'same_entry'; match: FaqMatch; related: FaqMatch[] };

export interface FollowUpDeps {
  memory: ConversationMemory;
  phrases: () => FollowUpPhrases;
  knowledge: KnowledgeService;
  schedules: ScheduleService;
  /** The schedule handler: its `answer` for rebuilt questions, `match`/`handle` for "I meant …". */
  schedule: IntentHandler & { answer(turn: Turn, q: ScheduleQuestion): Reply };
  i18n: I18nService;
}

function intlLocale(lang: Lang): string {
  if (lang === 'tl') return 'fil';
  if (lang === 'fa') return 'fa-u-ca-gregory';
  return lang;
}

export function followUpHandler(deps: FollowUpDeps) {
  const found = new WeakMap<Turn, { last: LastAnswer; what: Found }>();
  const c = (turn: Turn) => deps.i18n.t(turn.lang, 'conversation');

  const sessionsOf = (last: LastAnswer): Session[] =>
    last.sessions.flatMap((id) => {
      const s = sessionById(deps.schedules, id);
      return s ? [s] : [];
    });

  const named = (sessions: Session[]): ScheduleQuestion => ({
    focus: 'session',
    named: { sessions, score: 1, strong: true, words: 1 },
    nextOnly: false,
  });

  const detect = (turn: Turn, last: LastAnswer): Found | undefined => {
    const phrases = deps.phrases();
    const after = dayAfter(turn, last);
    if (after) return after;
    const f = phrases.match(turn.text, turn.lang);
    const schedule = last.intent === 'schedule' && last.sessions.length > 0;
    const fits = (kind: FollowUp['kind']): boolean => {
      if (
        (kind === 'where' || kind === 'end' || kind === 'start' || kind === 'next' || kind === 'previous') &&
        !schedule
      )
        return false;
      if (kind === 'more' && !(schedule || last.entryId)) return false;
      return true;
    };
    if (f) {
      if (!fits(f.kind)) return undefined;
      if (f.kind === 'language' && namesTopic(turn, f.unknown)) return undefined;
      return f;
    }
    const ref = last.schedule;
    // "see you tomorrow" names a day but closes the conversation.
    if (last.intent === 'schedule' && ref && !isClosingRemark(turn.text, turn.lang)) {
      const parsed = parseDate(turn.text, turn.lang, turn.now, ref.zone);
      const expr = parsed.expr;
      if (expr && (expr.kind === 'day' || expr.kind === 'range')) {
        const left = phrases.onlyAnotherDay(parsed.rest, turn.lang)
          ? []
          : phrases.anotherDayLeftover(parsed.rest, turn.lang);
        if (left && left.length <= 1 && !namesTopic(turn, left)) {
          const before = fromQueryRef(ref, deps.schedules);
          const question: ScheduleQuestion =
            before.focus === 'session' && before.date && before.named
              ? { focus: 'session', named: before.named, date: expr, nextOnly: false }
              : { focus: 'day', date: expr, nextOnly: false };
          return { kind: 'another_day', question };
        }
        return undefined;
      }
      const part = partOfDayFollowUp(turn, parsed, ref);
      if (part) return part;
    }
    const read = phrases.classify(turn.text, turn.lang);
    if (!read || !fits(read.kind) || namesTopic(turn, read.unknown)) return sameEntry(turn, last);
    // Read word by word, "oke makasih banyak" ("ok, thanks a lot") has a "more" word in it: a
    // message small talk reads as a thanks, greeting or goodbye is that.
    if (closesTurn(turn.text)) return undefined;
    return { kind: read.kind };
  };

  /**
   * "ถ้าแค่เลื่อนวันล่ะ" ("and if we only move the date?") after the visit cancellation answer: a
   * question with a condition or permission cue (`about_last`) that the FAQ cannot answer alone,
   * whose best suggestion is the entry just answered, asks about that entry; it is answered again
   * (the reply would otherwise offer it as a guess). The cue keeps the extra search off most turns.
   */
  const sameEntry = (turn: Turn, last: LastAnswer): Found | undefined => {
    if (last.intent !== 'faq' || !last.entryId) return undefined;
    if (!deps.phrases().aboutLast(turn.text, turn.lang)) return undefined;
    if (closesTurn(turn.text)) return undefined;
    // The FAQ handler searches the same turn's text next when this finds no follow-up: once.
    const r = searchTurn(deps.knowledge.faq, turn);
    const [best, ...rest] = r.suggestions;
    if (r.answer || !best || best.entry.id !== last.entryId || best.confidence < MEANT_FLOOR)
      return undefined;
    return {
      kind: 'same_entry',
      match: best,
      related: rest.filter((s) => s.confidence >= MEANT_FLOOR).slice(0, 3),
    };
  };

  /**
   * "ok thx, and tmrw?", "sağol bitiş kaçta", "ขอบคุณ อยู่ตึกไหน": a follow-up after a leading
   * acknowledgement (a thanks or greeting as knowledge/smalltalk/ knows them, or only filler words
   * such as "ok", "cool"), read without it. Heads of up to `ACK_MAX_WORDS` words are tried, shortest first.
   */
  const afterAcknowledgement = (turn: Turn, last: LastAnswer): Found | undefined => {
    const smalltalk = smalltalkMatcherFor(deps.knowledge.kb);
    const phrases = deps.phrases();
    for (const m of turn.text.matchAll(ACK_BOUNDARY)) {
      const head = turn.text.slice(0, m.index);
      if (head.split(/\s+/u).length > ACK_MAX_WORDS) break;
      const rest = turn.text.slice(m.index + m[0].length).trim();
      if (head.trim() === '' || rest === '') continue;
      // Filler words first: cheaper than small talk's matcher, and either one will do.
      if (!(phrases.onlyFiller(head, turn.lang) || smalltalk.acknowledges(head))) continue;
      // "oke makasih banyak": the rest is a thanks of its own, not a follow-up. "ok salamat po.
      // tapos ano kasunod?": a thanks, then a sentence of its own; a longer head may take the thanks.
      if (smalltalk.match(rest)) {
        if (SENTENCE_BREAK.test(rest)) continue;
        return undefined;
      }
      const what = detect({ ...turn, text: rest }, last);
      if (what) return what;
    }
    return undefined;
  };

  /**
   * "what time does it finish? need to call home after", "nerede bu? hocaya soracağım": a follow-up
   * question ending at its question mark, then a remark, read without the remark. The remark must
   * ask nothing of its own: no question mark, and nothing the FAQ answers alone with confidence
   * ("where is it? and the dress code" is a new question). Tried last: only messages no other
   * reading took.
   */
  const beforeRemark = (turn: Turn, last: LastAnswer): Found | undefined => {
    const mark = QUESTION_MARK.exec(turn.text);
    if (!mark) return undefined;
    const head = turn.text.slice(0, mark.index + 1).trim();
    const rest = turn.text.slice(mark.index + 1).trim();
    if (head.length <= 1 || rest === '' || QUESTION_MARK.test(rest)) return undefined;
    const asked = { ...turn, text: head };
    const what = detect(asked, last) ?? afterAcknowledgement(asked, last);
    if (!what) return undefined;
    const own = deps.knowledge.faq.search(rest, turn.lang).answer;
    return own && own.confidence >= REST_QUESTION_CONFIDENCE ? undefined : what;
  };

  /**
   * "the day after?", "その次の日は?", "kinabukasan?" after a schedule answer: the day after the day
   * asked about, or after the day of the last session mentioned.
   */
  const dayAfter = (turn: Turn, last: LastAnswer): Found | undefined => {
    const ref = last.schedule;
    if (last.intent !== 'schedule' || !ref || !deps.phrases().dayAfter(turn.text, turn.lang))
      return undefined;
    const before = fromQueryRef(ref, deps.schedules);
    const lastSession = sessionsOf(last).at(-1);
    const day =
      before.date?.kind === 'day' ? before.date.date : lastSession?.start.setZone(ref.zone).startOf('day');
    if (!day) return undefined;
    return {
      kind: 'another_day',
      question: { focus: 'day', date: { kind: 'day', date: day.plus({ days: 1 }) }, nextOnly: false },
    };
  };

  /** "and the afternoon?" after a day's answer: the same day, only that part of it. */
  const partOfDayFollowUp = (
    turn: Turn,
    parsed: ReturnType<typeof parseDate>,
    ref: NonNullable<LastAnswer['schedule']>,
  ): Found | undefined => {
    const phrases = deps.phrases();
    if (parsed.expr || !parsed.partOfDay) return undefined;
    const left = phrases.onlyAnotherDay(parsed.rest, turn.lang)
      ? []
      : phrases.anotherDayLeftover(parsed.rest, turn.lang);
    if (!left || left.length > 1 || namesTopic(turn, left)) return undefined;
    const before = fromQueryRef(ref, deps.schedules);
    if (before.date?.kind !== 'day') return undefined;
    const question: ScheduleQuestion = {
      focus: 'day',
      date: before.date,
      partOfDay: parsed.partOfDay,
      nextOnly: false,
    };
    return { kind: 'another_day', question };
  };

  const closesTurn = (text: string): boolean => {
    const found = smalltalkMatcherFor(deps.knowledge.kb).match(text);
    if (!found || found.confidence < CLOSING_MIN_CONFIDENCE) return false;
    return found.kind === 'thanks' || found.kind === 'greeting' || found.kind === 'bye';
  };

  /** Words beyond a follow-up's own that find an FAQ entry ("where is the prayer room?") make it a new question. */
  const namesTopic = (turn: Turn, unknown: readonly string[]): boolean => {
    // A Latin word of one or two letters ("e", "b", "ya") is a chat particle, never a topic.
    const words = unknown.filter((w) => !SHORT_LATIN.test(w));
    if (words.length === 0) return false;
    const r = deps.knowledge.faq.search(words.join(' '), turn.lang);
    if (!(r.answer !== undefined || r.suggestions.some((s) => s.confidence >= MEANT_FLOOR))) return false;
    if (words.length > 1) return true;
    // One word alone finds some entry almost always ("block", "slot", "happening"): it names a
    // topic only when it names a session (its title, aliases or glossary words: "交通の講義はいつ？"
    // asks about the traffic lecture), when the message as a whole is a question the FAQ answers
    // ("where is the mescit?"), or when it is a thanks: "tamam sagol. ertesi gun?" is read after
    // its acknowledgement instead.
    return (
      deps.schedules.index.mayName(words[0] ?? '', turn.lang) ||
      searchTurn(deps.knowledge.faq, turn).answer !== undefined ||
      smalltalkMatcherFor(deps.knowledge.kb).acknowledges(words[0] ?? '')
    );
  };

  /** Answers through the schedule handler, remembering the question for the next follow-up. */
  const schedule = (turn: Turn, q: ScheduleQuestion, as: Turn = turn): Reply => {
    const reply = deps.schedule.answer(as, q);
    deps.memory.noteSchedule(turn, q);
    return reply;
  };

  const whereOrEnd = (turn: Turn, sessions: Session[], kind: 'where' | 'end'): Reply => {
    const t = c(turn);
    const lines = sessions.map((s) => {
      const title = localized(s.title, turn.lang);
      if (kind === 'where') {
        return s.location
          ? t('where', { title, place: localized(s.location, turn.lang) })
          : t('noPlace', { title });
      }
      const course = deps.schedules.course(s.courseId);
      const fmt = new Intl.DateTimeFormat(intlLocale(turn.lang), {
        timeZone: course?.timezone ?? 'UTC',
        hour: 'numeric',
        minute: '2-digit',
      });
      return t('end', { title, time: fmt.format(s.end.toJSDate()) });
    });
    deps.memory.noteSchedule(turn, named(sessions));
    return makeReply({
      intent: 'schedule',
      lang: turn.lang,
      text: lines.join('\n'),
      sessions: sessions.map((s) => ({
        courseId: s.courseId,
        sessionId: s.id,
        start: s.start.toISO({ suppressMilliseconds: true }) ?? '',
        end: s.end.toISO({ suppressMilliseconds: true }) ?? '',
        title: localized(s.title, turn.lang),
        ...(s.location ? { location: localized(s.location, turn.lang) } : {}),
      })),
    });
  };

  const next = (turn: Turn, sessions: Session[]): Reply | undefined => {
    const lastOne = sessions.at(-1);
    const course = lastOne ? deps.schedules.course(lastOne.courseId) : undefined;
    if (!lastOne || !course) return undefined;
    const after = course.sessions.find((s) => s.start > lastOne.start);
    if (!after)
      return makeReply({ intent: 'schedule', lang: turn.lang, text: c(turn)('noNext'), sessions: [] });
    return schedule(turn, named([after]));
  };

  /** "and the one before?": the course's session just before the first of those mentioned. */
  const previous = (turn: Turn, sessions: Session[]): Reply | undefined => {
    const firstOne = sessions[0];
    const course = firstOne ? deps.schedules.course(firstOne.courseId) : undefined;
    if (!firstOne || !course) return undefined;
    const before = course.sessions.findLast((s) => s.start < firstOne.start);
    if (!before)
      return makeReply({ intent: 'schedule', lang: turn.lang, text: c(turn)('noPrevious'), sessions: [] });
    return schedule(turn, named([before]));
  };

  const shown = (ids: readonly string[], lang: Lang, except?: string): FaqMatch[] =>
    ids.flatMap((id) => {
      const m = id === except ? undefined : deps.knowledge.faq.show(id, lang);
      return m ? [m] : [];
    });

  const moreFaq = (turn: Turn, last: LastAnswer): Reply | undefined => {
    const match = last.entryId ? deps.knowledge.faq.show(last.entryId, turn.lang) : undefined;
    if (!match) return undefined;
    let related = shown(last.suggestions, turn.lang, match.entry.id);
    if (related.length === 0) {
      related = deps.knowledge.faq
        .search(match.translation.title, turn.lang)
        .suggestions.filter((s) => s.entry.id !== match.entry.id && s.confidence >= MEANT_FLOOR)
        .slice(0, 3);
    }
    const base = answerReply(turn, match, related);
    const title = match.translation.title;
    const key = related.length > 0 || match.entry.source ? 'moreFaq' : 'moreNothing';
    return { ...base, text: `${c(turn)(key, { title })}\n\n${match.translation.body}` };
  };

  /** The best entry other than the one answered, for the question with the topic added, else the topic alone. */
  /** Whether the FAQ's best entry for `topic` alone is of the same category as the entry last answered. */
  const withinTopic = (turn: Turn, last: LastAnswer, topic: string): boolean => {
    const r = deps.knowledge.faq.search(topic, turn.lang);
    const best = r.answer ?? r.suggestions[0];
    const category = last.entryId ? deps.knowledge.kb.entries.get(last.entryId)?.category : undefined;
    return best !== undefined && category !== undefined && best.entry.category === category;
  };

  /**
   * "I mean the delegation coming next month, not the trainees" after the visits' wheelchair
   * answer: what the correction rules out is not what was answered, and the question with the
   * topic still finds the answer: the user confirms it against a misreading. It stands.
   */
  const stillMeant = (turn: Turn, last: LastAnswer, topic: string, notMeant: string): Reply | undefined => {
    if (!last.entryId || notMeant === '') return undefined;
    const ruled = deps.knowledge.faq.search(notMeant, turn.lang);
    if ((ruled.answer ?? ruled.suggestions[0])?.entry.id === last.entryId) return undefined;
    const r = deps.knowledge.faq.search(`${last.question} ${topic}`, turn.lang);
    if (r.answer?.entry.id !== last.entryId) return undefined;
    return answerReply(turn, r.answer, r.suggestions.filter((s) => s.confidence >= MEANT_FLOOR).slice(0, 3));
  };

  const meantFaq = (
    turn: Turn,
    last: LastAnswer,
    topic: string,
    context = false,
    notMeant?: string,
  ): Reply | undefined => {
    const kept = notMeant === undefined ? undefined : stillMeant(turn, last, topic, notMeant);
    if (kept) return kept;
    for (const query of [`${last.question} ${topic}`, topic]) {
      const r = deps.knowledge.faq.search(query, turn.lang);
      // "what should i wear" → "no i mean for the koban visit w the delegation": a correction that
      // adds context to the same question; when the question with it still finds the entry answered,
      // and the context alone finds an entry of the same category, that entry is the answer (the
      // context alone, "for the koban visit", would find another visit entry). "no, I mean for cold
      // weather" after a visit's dress code names a topic of another category (the trainees' life).
      if (
        query !== topic &&
        r.answer &&
        context &&
        r.answer.entry.id === last.entryId &&
        withinTopic(turn, last, topic)
      )
        return answerReply(
          turn,
          r.answer,
          r.suggestions.filter((s) => s.confidence >= MEANT_FLOOR).slice(0, 3),
        );
      const candidates = [...(r.answer ? [r.answer] : []), ...r.suggestions].filter(
        (m) => m.entry.id !== last.entryId && m.confidence >= MEANT_FLOOR,
      );
      const best = candidates[0];
      if (best) {
        const related = candidates.slice(1, 4);
        return answerReply(turn, best, related);
      }
    }
    return undefined;
  };

  const meant = async (
    turn: Turn,
    last: LastAnswer,
    topic: string,
    context = false,
    notMeant?: string,
    said?: string,
  ): Promise<Reply | undefined> => {
    if (last.intent === 'schedule') {
      // "maksudku kunjungan koban asakusa, hari apa ya": the words the topic drops as filler may ask the day.
      for (const text of said === undefined ? [topic] : [said, topic]) {
        const as: Turn = { ...turn, text };
        if (await deps.schedule.match(as)) return deps.schedule.handle(as);
      }
    }
    return meantFaq(turn, last, topic, context, notMeant);
  };

  const inLanguage = (turn: Turn, last: LastAnswer, target: Lang): Reply | undefined => {
    const as: Turn = { ...turn, lang: target, t: deps.i18n.t(target) };
    if (last.intent === 'faq' && last.entryId) {
      const match = deps.knowledge.faq.show(last.entryId, target);
      return match ? answerReply(as, match, shown(last.suggestions, target)) : undefined;
    }
    if (last.schedule) return schedule(turn, fromQueryRef(last.schedule, deps.schedules), as);
    const sessions = sessionsOf(last);
    return sessions.length > 0 ? schedule(turn, named(sessions), as) : undefined;
  };

  const answer = async (turn: Turn, last: LastAnswer, what: Found): Promise<Reply | undefined> => {
    deps.memory.noteQuestion(turn, last.question);
    switch (what.kind) {
      case 'another_day':
        return schedule(turn, what.question);
      case 'where':
      case 'end':
        return whereOrEnd(turn, sessionsOf(last), what.kind);
      case 'next':
        return next(turn, sessionsOf(last));
      case 'previous':
        return previous(turn, sessionsOf(last));
      case 'start':
        // The sessions again: each is listed with its start and end time.
        return schedule(turn, named(sessionsOf(last)));
      case 'more':
        return last.intent === 'faq' ? moreFaq(turn, last) : schedule(turn, named(sessionsOf(last)));
      case 'language':
        return inLanguage(turn, last, what.target);
      case 'same_entry':
        return answerReply(turn, what.match, what.related);
      case 'meant':
        return meant(turn, last, what.topic, what.context, what.notMeant, what.said);
    }
  };

  /** Turns already looked at (asked first as a claim, then as a match): no second store read. */
  const seen = new WeakSet<Turn>();
  const match = async (turn: Turn): Promise<boolean> => {
    if (seen.has(turn)) return found.has(turn);
    seen.add(turn);
    if (turn.msg.action && turn.msg.action.type !== 'say') return false;
    const last = (await deps.memory.get(turn))?.last;
    if (!last) return false;
    const what = detect(turn, last) ?? afterAcknowledgement(turn, last) ?? beforeRemark(turn, last);
    if (!what) return false;
    found.set(turn, { last, what });
    return true;
  };

  return {
    intent: 'follow-up',
    match,
    // Right after an answer, "in English please" or "cool thx, and tomorrow?" continues it: neither
    // a request for help nor a thanks.
    claims: match,
    async handle(turn: Turn): Promise<Reply> {
      const f = found.get(turn);
      const reply = f ? await answer(turn, f.last, f.what) : undefined;
      return (
        reply ??
        makeReply({
          intent: 'follow-up',
          lang: turn.lang,
          text: c(turn)('lost'),
          kind: f?.what.kind ?? 'unknown',
        })
      );
    },
  } satisfies IntentHandler;
}
