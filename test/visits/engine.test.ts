import { describe, expect, it } from 'vitest';
import { nextFreeDays } from '../../src/engines/visits/capacity.js';
import { Coordinators } from '../../src/engines/visits/coordinators.js';
import { checkDecision } from '../../src/engines/visits/decision.js';
import { readVisitPhrases } from '../../src/engines/visits/phrases.js';
import { normalizeRef } from '../../src/engines/visits/reference.js';
import { validateVisitRequest } from '../../src/engines/visits/request.js';
import { DEFAULT_VISIT_RULES, visitRules } from '../../src/engines/visits/rules.js';
import { REPO_KNOWLEDGE } from '../helpers/conversation.js';

const NOW = new Date('2027-01-20T03:00:00Z');
const rules = { ...DEFAULT_VISIT_RULES, closedDates: new Set(['2027-03-22']) };
const valid = {
  organization: 'Royal Thai Police',
  country: 'Thailand',
  contactName: 'Somchai',
  contactEmail: 'somchai@police.example.th',
  groupSize: 12,
  preferredDates: ['2027-03-16', '2027-03-15'],
  interests: ['koban'],
  language: 'Thai',
  interpreter: true,
};

describe('a visit request', () => {
  it('passes with every field right, dates sorted and optional fields left out', () => {
    const r = validateVisitRequest(valid, rules, new Map(), NOW);
    expect(r).toEqual({ ok: true, request: { ...valid, preferredDates: ['2027-03-15', '2027-03-16'] } });
  });

  it('names every problem at once, per field', () => {
    const r = validateVisitRequest(
      { ...valid, organization: ' ', groupSize: 21, contactEmail: 'x@', interests: [], extra: 1 },
      rules,
      new Map(),
      NOW,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.field}:${e.code}`).sort()).toEqual([
      'contactEmail:email',
      'extra:unknownField',
      'groupSize:groupSizeMax',
      'interests:required',
      'organization:required',
    ]);
  });

  it('refuses a date inside the lead time, a weekend, a holiday and an impossible date', () => {
    const r = validateVisitRequest(
      { ...valid, preferredDates: ['2027-02-01', '2027-03-13', '2027-03-22'] },
      rules,
      new Map(),
      NOW,
    );
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.params?.date])).toEqual([
      ['dateTooSoon', '2027-02-01'],
      ['dateClosed', '2027-03-13'],
      ['dateClosed', '2027-03-22'],
    ]);
    const bad = validateVisitRequest({ ...valid, preferredDates: ['2027-02-30'] }, rules, new Map(), NOW);
    expect(bad.ok ? '' : bad.errors[0]?.code).toBe('dateFormat');
  });

  it('refuses a fully booked date and offers the next free weekdays', () => {
    const bookings = new Map([
      ['2027-03-15', 1],
      ['2027-03-17', 1],
    ]);
    const r = validateVisitRequest({ ...valid, preferredDates: ['2027-03-15'] }, rules, bookings, NOW);
    expect(r.ok ? undefined : r.errors[0]).toEqual({
      field: 'preferredDates',
      code: 'dateFull',
      params: { date: '2027-03-15', next: '2027-03-16, 2027-03-18, 2027-03-19' },
    });
    expect(nextFreeDays('2027-03-19', rules, bookings, NOW, 2)).toEqual(['2027-03-19', '2027-03-23']);
  });

  it('reads the rules from center.yaml data, and falls back to defaults without a block', () => {
    const r = visitRules({
      visits: {
        max_group_size: 8,
        min_lead_days: 10,
        visits_per_day: 2,
        closed_weekdays: 'sun',
        closed_dates: { '2027-05-03': 'holiday' },
      },
    });
    expect(r.maxGroupSize).toBe(8);
    expect([...r.closedWeekdays]).toEqual(['sun']);
    expect(r.closedDates.has('2027-05-03')).toBe(true);
    expect(visitRules({})).toBe(DEFAULT_VISIT_RULES);
  });
});

describe('decisions and coordinators', () => {
  it('needs a date and meeting point to approve, a reason to decline, a question to ask', () => {
    const codes = (d: Parameters<typeof checkDecision>[0]) =>
      checkDecision(d, rules, new Map(), NOW).map((e) => `${e.field}:${e.code}`);
    expect(codes({ kind: 'approve' })).toEqual(['date:required', 'meetingPoint:required']);
    expect(codes({ kind: 'approve', date: '2027-03-13', meetingPoint: 'Gate' })).toEqual(['date:dateClosed']);
    expect(codes({ kind: 'approve', date: '2027-01-22', meetingPoint: 'Gate' })).toEqual([]);
    expect(codes({ kind: 'decline' })).toEqual(['note:required']);
    expect(codes({ kind: 'needs-info', note: 'How many officers?' })).toEqual([]);
  });

  it('knows coordinators by user, Slack group and Discord role', () => {
    const c = new Coordinators([
      'slack:U0123',
      'discord:4567',
      'slack-group:S0ABC',
      'discord-role:Coordinators',
    ]);
    expect(c.isCoordinator({ platform: 'slack', userId: 'U0123' })).toBe(true);
    expect(c.isCoordinator({ platform: 'discord', userId: 'U0123' })).toBe(false);
    expect(c.isCoordinator({ platform: 'slack', userId: 'U9', groups: ['S0ABC'] })).toBe(true);
    expect(c.isCoordinator({ platform: 'discord', userId: '9', groups: ['coordinators'] })).toBe(true);
    expect(c.isCoordinator({ platform: 'discord', userId: '9', groups: ['trainees'] })).toBe(false);
  });

  it('reads references however they are typed', () => {
    expect(normalizeRef('v-2027-42')).toBe('V-2027-0042');
    expect(normalizeRef(' V-2027-0042 ')).toBe('V-2027-0042');
    expect(normalizeRef('2027-0042')).toBeUndefined();
  });
});

describe('visit phrasings (knowledge/intents/visit.yaml)', () => {
  const phrases = readVisitPhrases(REPO_KNOWLEDGE);

  it.each([
    'we would like to visit a koban next month with 12 people',
    'Bisakah delegasi kami berkunjung ke koban?',
    '交番を視察したいのですが',
    'Komuta merkezi ziyareti istiyoruz, 10 kişi, 2 Ocak',
  ])('starts a request for %j', (text) => {
    expect(phrases.wantsToStart(text)).toBe(true);
  });

  it.each([
    'How do I request a Koban visit?',
    'how long does a visit take?',
    '見学の申込み方法を教えてください。',
    'Pwede po ba magpicture sa loob ng koban?',
  ])('leaves %j to the FAQ', (text) => {
    expect(phrases.wantsToStart(text)).toBe(false);
  });

  it.each([
    ['Koban visit for 16 pax on March 3rd please', false],
    ['来月、12名で交番を見学させてもらえませんか', false],
    ['bazdid koban baraye 20 nafar 15/11 lotfan', false],
    ['بازدید کوبان برای ۱۶ نفر، ۳ مارچ لطفا', false],
    ['Could we come by a koban on Friday? there are 4 of us', true],
    ["cuma günü koban'a uğrayabilir miyiz? 4 kişiyiz", true],
  ])('starts a request from a place word and the details only a request has: %j', (text, day) => {
    expect(phrases.wantsToStart(text, () => day)).toBe(true);
  });

  it.each([
    // A group size in a question without a day: how many may come.
    ['kami 40 orang, bisa ikut semua di satu kunjungan koban?', true],
    ['is a koban visit with 30 people too big', false],
    ['đoàn 30 người tham quan koban có đông quá không', false],
    // Asking for information, or to move a visit: the FAQ.
    ['info on visiting the command center for a group of 20', false],
    ['uçuşumuz değişti, koban ziyaretini cumaya almamız lazım', true],
    // Thai "ของ" (of) is not the request word "ขอ".
    ['ไม่ใช่ หมายถึงประวัติของโคบัน', false],
  ])('leaves %j to the FAQ', (text, day) => {
    expect(phrases.wantsToStart(text, () => day)).toBe(false);
  });

  it('reads group sizes in any script, with the number before or after the word', () => {
    expect(phrases.groupSize('we are a group of 12 from Kenya')).toBe(12);
    expect(phrases.groupSize('۷ نفریم')).toBe(7);
    expect(phrases.groupSize('12 kişilik heyet')).toBe(12);
    expect(phrases.groupSize('交番見学、20名')).toBe(20);
    expect(phrases.groupSize('sa 2027 officers')).toBeUndefined();
    expect(phrases.groupSize('koban visit on 3/3')).toBeUndefined();
    // The day is read without the group size: "10 subay" (officers) is no "10 Şubat".
    expect(phrases.withoutGroupSize('10 subayımız, 3 Mart')).toBe(' ımız, 3 mart');
    const days: string[] = [];
    phrases.wantsToStart('10 subayımız kobana kartvizit götürmeli mi', (t) => {
      days.push(t);
      return false;
    });
    expect(days).toEqual([' ımız kobana kartvizit götürmeli mi']);
  });

  it('knows questions without a question mark by their words', () => {
    expect(phrases.isQuestion('is a koban visit free')).toBe(true);
    expect(phrases.isQuestion('this is a koban visit')).toBe(false);
    expect(phrases.isQuestion('今週金曜、6名で交番に伺えますか')).toBe(true);
    expect(phrases.isQuestion('ziyaret ücretsiz mi')).toBe(true);
  });

  it('reads control words whole, in any language', () => {
    expect(phrases.control('キャンセル')).toBe('cancel');
    expect(phrases.control('Kembali.')).toBe('back');
    expect(phrases.control('cancel my visit please')).toBeUndefined();
    expect(phrases.asksStatus('what is the status of my visit request?')).toBe(true);
  });
});
