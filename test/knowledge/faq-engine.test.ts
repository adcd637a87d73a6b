import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONFIDENCE_THRESHOLD,
  FaqEngine,
  MAX_SUGGESTIONS,
  SCORING,
} from '../../src/engines/knowledge/faq-engine.js';
import { LanguageIndex } from '../../src/engines/knowledge/language-index.js';
import { loadKnowledge } from '../../src/engines/knowledge/loader.js';
import { offTopicSchema } from '../../src/engines/knowledge/off-topic.js';

const kb = loadKnowledge(join(import.meta.dirname, '..', 'fixtures', 'kb-small')).knowledge;
if (!kb) throw new Error('fixture knowledge base failed to load');
const engine = new FaqEngine(kb);

describe('the FAQ engine', () => {
  it('finds the entry for paraphrases in English, Japanese and Indonesian', () => {
    expect(engine.search('tell me what a police box is', 'en').answer?.entry.id).toBe('koban-what-is');
    expect(engine.search('交番って何ですか？', 'ja').answer?.entry.id).toBe('koban-what-is');
    expect(engine.search('pakaian apa untuk kunjungan ke koban?', 'id').answer?.entry.id).toBe(
      'visit-dress-code',
    );
  });

  it('expands synonyms: "outfit" finds the entry written with "clothes"', () => {
    expect(engine.search('which outfit for the visit', 'en').answer?.entry.id).toBe('visit-dress-code');
  });

  it('tolerates a typo in a longer word', () => {
    expect(engine.search('what is the dress code for the visitt', 'en').answer?.entry.id).toBe(
      'visit-dress-code',
    );
  });

  it('answers in the user language when a translation exists', () => {
    const result = engine.search('交番とは何ですか', 'ja');
    expect(result.answer?.translation.lang).toBe('ja');
    expect(result.answer?.confidence).toBeGreaterThanOrEqual(CONFIDENCE_THRESHOLD);
  });

  it('falls back to English when the entry has no translation in the user language', () => {
    const result = engine.search('I lost my wallet, where is lost and found?', 'ja');
    expect(result.answer?.entry.id).toBe('english-only');
    expect(result.answer?.translation.lang).toBe('en');
  });

  it('does not guess on out-of-scope questions', () => {
    for (const q of ['bitcoin price today', 'recipe for chocolate cake', 'who won the football match']) {
      const result = engine.search(q, 'en');
      expect(result.answer, q).toBeUndefined();
      expect(result.confidence).toBeLessThan(CONFIDENCE_THRESHOLD);
    }
  });

  it('refuses a question like the off-topic examples that it would otherwise answer', () => {
    if (!kb) throw new Error('unreachable');
    const question = 'police salary?';
    expect(engine.search(question, 'en').answer).toBeUndefined();
    const withoutExamples = new FaqEngine({ ...kb, offTopic: {} });
    expect(withoutExamples.search(question, 'en').answer?.entry.id).toBe('koban-what-is');
    // The examples do not get in the way of real questions.
    expect(engine.search('what is a koban', 'en').answer?.entry.id).toBe('koban-what-is');
  });

  it('does not answer with an entry a question closer to one of its not_answered questions than to its own', () => {
    if (!kb) throw new Error('unreachable');
    const question = 'explain the koban system of the police in my country';
    expect(engine.search(question, 'en').answer?.entry.id).toBe('koban-what-is');
    const entry = kb.entries.get('koban-what-is');
    const en = entry?.translations.en;
    if (!entry || !en) throw new Error('fixture entry missing');
    const scoped = {
      ...entry,
      translations: {
        ...entry.translations,
        en: { ...en, notAnswered: ['how does the police system work in my country'] },
      },
    };
    const withScope = new FaqEngine({ ...kb, entries: new Map([...kb.entries, [entry.id, scoped]]) });
    expect(withScope.search(question, 'en').answer).toBeUndefined();
    // The entry's own questions are still answered, and other languages (no list there) are unchanged.
    expect(withScope.search('explain the koban system', 'en').answer?.entry.id).toBe('koban-what-is');
    expect(withScope.search('交番とは何ですか', 'ja').answer?.entry.id).toBe('koban-what-is');
    // With the penalty off, the list changes nothing.
    const saved = { ...SCORING };
    Object.assign(SCORING, { scopePenalty: 0 });
    try {
      expect(withScope.search(question, 'en').answer?.entry.id).toBe('koban-what-is');
    } finally {
      Object.assign(SCORING, saved);
    }
  });

  it('holds back a question that comes closer to an off-topic example than to any entry phrasing', () => {
    // Shares "koban" and "mean" with the entry's phrasings, and "police salary" with an off-topic example.
    const question = 'what does koban police salary mean';
    expect(engine.search(question, 'en').answer).toBeUndefined();
    // Without the nearest-example penalties (this one weakened, the stranger and uncovered ones off).
    const saved = { ...SCORING };
    Object.assign(SCORING, { nearOffTopicPenalty: 0.3, strangerPenalty: 0, uncoveredPenalty: 0 });
    try {
      expect(engine.search(question, 'en').answer?.entry.id).toBe('koban-what-is');
    } finally {
      Object.assign(SCORING, saved);
    }
    expect(engine.search('what does the word koban mean', 'en').answer?.entry.id).toBe('koban-what-is');
  });

  it('learns errands for another office apart, and holds back on questions like them', () => {
    if (!kb) throw new Error('unreachable');
    const errands = {
      en: [
        'how do I extend my visa at immigration',
        'can I renew my residence card at the ward office',
        'the fine for parking in the wrong place',
        'my embassy has to renew my passport',
        'my neighbour owes me money, can I sue him',
      ],
    };
    const withErrands = new FaqEngine({ ...kb, errands });
    for (const q of ['can the koban extend my visa', 'can the koban help me sue my neighbour for money']) {
      expect(withErrands.search(q, 'en').confidence, q).toBeLessThan(engine.search(q, 'en').confidence - 0.1);
    }
    expect(withErrands.search('what is a koban', 'en').answer?.entry.id).toBe('koban-what-is');
    const index = new LanguageIndex(
      'en',
      kb.entries.values(),
      [],
      kb.offTopic.en ?? [],
      undefined,
      errands.en,
    );
    expect(index.assess('visa extension at immigration').errand).toBeGreaterThan(0.5);
    expect(index.assess('what is a koban?').errand).toBeLessThan(0.1);
    // Without errands there is no errand classifier, and nothing is held back.
    expect(new LanguageIndex('en', kb.entries.values()).assess('visa extension').errand).toBe(0);
  });

  it('checks errand categories in the off-topic files', () => {
    expect(
      offTopicSchema.safeParse({ examples: [], errands: { 'visa-immigration': ['visa?'] } }).success,
    ).toBe(true);
    const bad = offTopicSchema.safeParse({ examples: [], errands: { 'Visa Stuff': ['visa?'] } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/lowercase/);
  });

  it('keeps confidence in 0..1 and offers at most three suggestions', () => {
    for (const q of ['koban', 'visit koban clothes uniform police box', 'x', '交番 交番 交番']) {
      const result = engine.search(q, 'en');
      expect(result.confidence).toBeGreaterThanOrEqual(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
      expect(result.suggestions.length).toBeLessThanOrEqual(MAX_SUGGESTIONS);
    }
  });

  it('survives text that lunr query syntax would choke on', () => {
    for (const q of ['bus at 8:30?', 'time: monday', 'koban~2 +visit -uniform', '*', 'title:koban^10']) {
      expect(() => engine.search(q, 'en')).not.toThrow();
    }
  });
});

describe('Taglish', () => {
  const translation = (lang: 'en' | 'tl' | 'id', title: string, questions: string[]) => ({
    lang,
    title,
    questions,
    tags: [],
    body: title,
    file: `${lang}.md`,
  });
  const entries = [
    {
      id: 'wifi',
      category: 'trainee' as const,
      translations: {
        en: translation('en', 'Wi-Fi password', ['what is the wifi password', 'internet connection']),
        tl: translation('tl', 'Wi-Fi', ['ano ang password ng wifi']),
        // The same text where English is not mixed in, for contrast.
        id: translation('id', 'Wi-Fi', ['ano ang password ng wifi']),
      },
    },
    {
      id: 'laundry',
      category: 'trainee' as const,
      translations: {
        en: translation('en', 'Laundry', ['where can I wash clothes']),
        tl: translation('tl', 'Labahan', ['saan maglalaba']),
        id: translation('id', 'Labahan', ['saan maglalaba']),
      },
    },
  ];
  it('finds Tagalog entries through the English words of a mixed message', () => {
    const index = new LanguageIndex('tl', entries);
    const hit = index.search('wala akong internet connection sa kwarto', 3)[0];
    expect(hit?.entryId).toBe('wifi');
    // "internet" and "connection" appear only in the English questions of the entry; an index
    // without English mixed in has the same Tagalog words and finds far less.
    const unmixed = new LanguageIndex('id', entries).search('wala akong internet connection sa kwarto', 3);
    const unmixedLead = unmixed.find((h) => h.entryId === 'wifi')?.features.leadCoverage ?? 0;
    expect(hit?.features.leadCoverage).toBeGreaterThan(unmixedLead + 0.1);
  });

  it('measures how close a question comes to the nearest off-topic example and entry phrasing', () => {
    if (!kb) throw new Error('unreachable');
    const index = new LanguageIndex('en', kb.entries.values(), kb.synonyms.en ?? [], kb.offTopic.en ?? []);
    const salary = index.assess('police salary in Tokyo').nearest;
    expect(salary.offTopic).toBeGreaterThan(salary.entry);
    const koban = index.assess('what is a koban?').nearest;
    expect(koban.entry).toBeGreaterThan(koban.offTopic);
    expect(koban.entry).toBeLessThanOrEqual(1);
    expect(index.assess('').nearest).toEqual({ offTopic: 0, entry: 0 });
  });
});

describe('typo matching', () => {
  it('does not read a long inflected word as a two-edit typo of a word with another start', () => {
    const index = new LanguageIndex('tr', [
      {
        id: 'reach',
        category: 'trainee' as const,
        translations: {
          tr: {
            lang: 'tr' as const,
            title: 'Ulaşım',
            questions: ['merkeze nasıl ulaşabilirim'],
            tags: [],
            body: 'Ulaşım',
            file: 'tr.md',
          },
        },
      },
    ]);
    // Two edits with the same start: a typo of "ulaşabilir".
    const coverage = (q: string) =>
      index.search(q, 3).find((h) => h.entryId === 'reach')?.features.coverage ?? 0;
    expect(coverage('ulasabiirr')).toBeGreaterThan(0.5);
    // Two edits from "ulaşabilir" too, but another start: a different verb ("may extend").
    expect(coverage('uzatabilir')).toBe(0);
  });
});

describe('near-domain questions (the shipped English knowledge)', () => {
  // English only, so the build takes a second or two instead of every language's.
  const full = loadKnowledge(join(import.meta.dirname, '..', '..', 'knowledge')).knowledge;
  if (!full) throw new Error('the shipped knowledge base failed to load');
  const english = new FaqEngine({
    ...full,
    entries: new Map(
      [...full.entries].flatMap(([id, e]) =>
        e.translations.en ? [[id, { ...e, translations: { en: e.translations.en } }] as const] : [],
      ),
    ),
    offTopic: { en: full.offTopic.en ?? [] },
    errands: { en: full.errands?.en ?? [] },
  });
  /** The engine's answer with the disagreement penalty switched off. */
  const withoutDisagreement = (q: string) => {
    const penalty = SCORING.disagreementPenalty;
    SCORING.disagreementPenalty = 0;
    try {
      return english.search(q, 'en').answer?.entry.id;
    } finally {
      SCORING.disagreementPenalty = penalty;
    }
  };

  it('refuses a question whose words match an entry the classifier rules out, and still answers the entry', () => {
    const nearDomain = 'can a koban officer marry a foreigner';
    expect(english.search(nearDomain, 'en').answer?.entry.id).toBeUndefined();
    // Word overlap alone would answer it (the rule is what refuses it).
    expect(withoutDisagreement(nearDomain)).toBeDefined();
    for (const [q, id] of [
      ['what should we wear for the koban visit', 'visit-dress-code'],
      ['what is a koban', 'koban-what-is'],
    ] as const) {
      expect(english.search(q, 'en').answer?.entry.id, q).toBe(id);
    }
  });
  it('refuses a long message whose question the entry covers thinly, and still answers a long question it covers', () => {
    const aside =
      'hi, I am in the community policing course, the dormitory is great. does anyone know a good barber near the station?';
    expect(english.search(aside, 'en').answer?.entry.id).toBeUndefined();
    // Without the weak-evidence penalty the course words alone would answer it.
    const penalty = SCORING.weakEvidencePenalty;
    SCORING.weakEvidencePenalty = 0;
    try {
      expect(english.search(aside, 'en').answer?.entry.id).toBeDefined();
    } finally {
      SCORING.weakEvidencePenalty = penalty;
    }
    const long = 'we are a delegation of 12 officers visiting the koban next week, what should we wear?';
    expect(english.search(long, 'en').answer?.entry.id).toBe('visit-dress-code');
  });
  /** The engine's result for `q` with one SCORING weight set to `value`. */
  const withWeight = (key: 'strangerPenalty' | 'uncoveredPenalty', value: number, q: string) => {
    const weight = SCORING[key];
    SCORING[key] = value;
    try {
      return english.search(q, 'en');
    } finally {
      SCORING[key] = weight;
    }
  };
  it('refuses a question whose words the entry leaves out read like an errand, and still answers the entry', () => {
    // The allowance entry covers "ATM"; sending money home is another office's errand.
    const errand = 'how do I send money home from the ATM';
    expect(english.search(errand, 'en').answer?.entry.id).toBeUndefined();
    expect(withWeight('uncoveredPenalty', 0, errand).answer?.entry.id).toBe('trainee-money-allowance');
    for (const q of ['where is the nearest ATM to the center', 'when is the allowance paid'])
      expect(english.search(q, 'en').answer?.entry.id, q).toBe('trainee-money-allowance');
  });
  it('takes confidence from a question close to an off-topic example and far from every entry phrasing', () => {
    const career = 'is a foreigner allowed to become a japanese police officer';
    const without = withWeight('strangerPenalty', 0, career).confidence;
    expect(english.search(career, 'en').confidence).toBeLessThan(without - 0.05);
    // A question an entry's phrasing is close to loses nothing.
    const q = 'what should we wear for the koban visit';
    expect(english.search(q, 'en').confidence).toBe(withWeight('strangerPenalty', 0, q).confidence);
  });
});

describe('Turkish inflected words (the shipped Turkish knowledge)', () => {
  const full = loadKnowledge(join(import.meta.dirname, '..', '..', 'knowledge')).knowledge;
  if (!full) throw new Error('the shipped knowledge base failed to load');
  const turkish = new FaqEngine({
    ...full,
    entries: new Map(
      [...full.entries].flatMap(([id, e]) =>
        e.translations.tr ? [[id, { ...e, translations: { tr: e.translations.tr } }] as const] : [],
      ),
    ),
    offTopic: { tr: full.offTopic.tr ?? [] },
    errands: { tr: full.errands?.tr ?? [] },
  });

  it('reaches the wifi entry through "wifiye" and "wifi\'ye" as through "wifi"', () => {
    for (const q of ['wifiye nasıl bağlanırım?', "wifi'ye nasıl bağlanırım?", 'wifi nasıl bağlanırım?']) {
      const result = turkish.search(q, 'tr');
      expect(result.answer?.entry.id, q).toBe('trainee-wifi-it');
      expect(result.confidence, q).toBeGreaterThan(0.9);
    }
  });
});
