import { describe, expect, it } from 'vitest';
import { analyzerFor } from '../../src/engines/knowledge/analyzers.js';

describe('each language analyzer', () => {
  it('stems English and drops stop words', () => {
    expect(analyzerFor('en').analyze('What are the police boxes patrolling?')).toEqual([
      'polic',
      'box',
      'patrol',
    ]);
  });
  it('segments Japanese without spaces and drops particles', () => {
    const terms = analyzerFor('ja').analyze('交番の警察官は何をしますか');
    expect(terms).toContain('交番');
    expect(terms).toContain('警察官');
    expect(terms).not.toContain('の');
  });
  it('adds Japanese character pairs that meet across inflection and segmentation', () => {
    const lost = analyzerFor('ja').analyze('駅でかばんを落としてしまいました');
    const lostProperty = analyzerFor('ja').analyze('落とし物はどこに届ければいい');
    expect(lost).toContain('落と_');
    expect(lostProperty).toContain('落と_');
    // Pairs of hiragana alone are particles and endings, not topics.
    expect(lost).not.toContain('して_');
  });
  it('adds Thai consonant groups, so a missing tone mark still matches', () => {
    const grams = (t: string) =>
      analyzerFor('th')
        .analyze(t)
        .filter((x) => x.endsWith('_'));
    expect(grams('โทรศัพท์หาย')).toEqual(grams('โทรศัพทหาย'));
    expect(grams('โทรศัพท์หาย').length).toBeGreaterThan(0);
  });
  it('segments Thai into words', () => {
    const terms = analyzerFor('th').analyze('ป้อมตำรวจอยู่ที่ไหน');
    expect(terms.length).toBeGreaterThanOrEqual(2);
    expect(terms.join('')).toContain('ป้อม');
  });
  it('stems Indonesian and understands chat spellings', () => {
    expect(analyzerFor('id').analyze('kunjungan')).toEqual(['kunjung']);
    expect(analyzerFor('id').analyze('gmn caranya')).not.toContain('gmn');
  });
  it('matches Vietnamese with or without accents', () => {
    expect(analyzerFor('vi').analyze('đồng phục')).toEqual(analyzerFor('vi').analyze('dong phuc'));
  });
  it('stems Tagalog affixes', () => {
    expect(analyzerFor('tl').analyze('pagbisita')).toEqual(analyzerFor('tl').analyze('bumisita'));
  });
  it('stems Turkish and folds its letters', () => {
    const a = analyzerFor('tr');
    expect(a.analyze('ziyaretler')).toEqual(a.analyze('ziyaret'));
    expect(a.analyze('kıyafet')).toEqual(a.analyze('kiyafet'));
  });
  it('brings an inflected Turkish word to the stem of its bare form', () => {
    const a = analyzerFor('tr');
    // One Snowball pass leaves "wifiye" at "wifi" but takes "wifi" to "wif".
    expect(a.analyze('wifiye')).toEqual(a.analyze('wifi'));
    expect(a.analyze('kahvaltıyı')).toEqual(a.analyze('kahvaltı'));
    expect(a.analyze('vizeyi')).toEqual(a.analyze('vize'));
  });
  it("drops a Turkish suffix written after an apostrophe (wifi'ye, koban'da)", () => {
    const a = analyzerFor('tr');
    expect(a.analyze("wifi'ye")).toEqual(a.analyze('wifi'));
    expect(a.analyze('koban’da')).toEqual(a.analyze('koban'));
    expect(a.analyze("Japonya'da")).toEqual(a.analyze('Japonya'));
  });
  it('normalises Persian letters, digits and the zero-width non-joiner', () => {
    const a = analyzerFor('fa');
    expect(a.analyze('پولیس ها')).toEqual(a.analyze('پوليس‌ها'));
    expect(a.analyze('۱۱۰')).toEqual(['110']);
  });
});
