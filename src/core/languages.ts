/** The languages the assistant speaks, and how to recognise their names and codes. */
export const LANGUAGES = ['en', 'ja', 'id', 'vi', 'th', 'tl', 'tr', 'fa'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'en';

/** Right-to-left languages, for adapters that can set direction. */
export const RTL_LANGS: ReadonlySet<Lang> = new Set<Lang>(['fa']);

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Each language's own name, shown in pickers. Names are data, not UI sentences. */
export const AUTONYMS: Record<Lang, string> = {
  en: 'English',
  ja: '日本語',
  id: 'Bahasa Indonesia',
  vi: 'Tiếng Việt',
  th: 'ภาษาไทย',
  tl: 'Tagalog',
  tr: 'Türkçe',
  fa: 'فارسی (دری)',
};

/** Names and codes a user may type to pick a language, in any of the supported languages. */
const NAMES: Record<Lang, readonly string[]> = {
  en: [
    'en',
    'eng',
    'english',
    'inggris',
    'bahasa inggris',
    '英語',
    'えいご',
    'tiếng anh',
    'anh',
    'อังกฤษ',
    'ภาษาอังกฤษ',
    'ingles',
    'ingilizce',
    'İngilizce',
    'انگلیسی',
  ],
  ja: [
    'ja',
    'jp',
    'jpn',
    'japanese',
    'jepang',
    'bahasa jepang',
    '日本語',
    'にほんご',
    'tiếng nhật',
    'nhật',
    'ญี่ปุ่น',
    'ภาษาญี่ปุ่น',
    'hapon',
    'japonca',
    'ژاپنی',
  ],
  id: [
    'id',
    'ind',
    'in',
    'indonesian',
    'indonesia',
    'bahasa indonesia',
    'bahasa',
    'インドネシア語',
    'tiếng indonesia',
    'อินโดนีเซีย',
    'endonezce',
    'اندونزیایی',
  ],
  vi: [
    'vi',
    'vie',
    'vietnamese',
    'vietnam',
    'việt',
    'tiếng việt',
    'tieng viet',
    'ベトナム語',
    'เวียดนาม',
    'vietnamca',
    'ویتنامی',
  ],
  th: ['th', 'tha', 'thai', 'ไทย', 'ภาษาไทย', 'タイ語', 'tiếng thái', 'tayca', 'تایلندی'],
  tl: [
    'tl',
    'fil',
    'tgl',
    'tagalog',
    'filipino',
    'pilipino',
    'tagalog/filipino',
    'タガログ語',
    'フィリピン語',
    'tiếng tagalog',
    'ตากาล็อก',
    'tagalogca',
    'تاگالوگ',
  ],
  tr: ['tr', 'tur', 'turkish', 'türkçe', 'turkce', 'turki', 'トルコ語', 'tiếng thổ nhĩ kỳ', 'ตุรกี', 'ترکی'],
  fa: [
    'fa',
    'fas',
    'per',
    'prs',
    'persian',
    'farsi',
    'dari',
    'فارسی',
    'دری',
    'ペルシャ語',
    'ダリー語',
    'tiếng ba tư',
    'เปอร์เซีย',
    'farsça',
    'darice',
  ],
};

const NAME_INDEX = new Map<string, Lang>();
for (const lang of LANGUAGES) {
  for (const name of NAMES[lang]) NAME_INDEX.set(name.toLocaleLowerCase(), lang);
  NAME_INDEX.set(AUTONYMS[lang].toLocaleLowerCase(), lang);
}

/** Finds a language from a name or code ("ja", "日本語", "Bahasa Indonesia", "pt-BR" → undefined). */
export function parseLanguageName(input: string): Lang | undefined {
  const key = input
    .trim()
    .toLocaleLowerCase()
    .replace(/[.!?。]+$/u, '');
  return NAME_INDEX.get(key) ?? normalizeLocale(key);
}

/**
 * Maps a platform locale such as "ja-JP", "en_US", "id", "fil" or "pt-BR" to a supported language,
 * or undefined when the assistant does not speak it.
 */
export function normalizeLocale(locale: string | undefined): Lang | undefined {
  if (!locale) return undefined;
  const base = locale.toLowerCase().split(/[-_]/)[0] ?? '';
  if (isLang(base)) return base;
  if (base === 'fil') return 'tl';
  if (base === 'prs' || base === 'per' || base === 'fas') return 'fa';
  if (base === 'in') return 'id';
  return undefined;
}
