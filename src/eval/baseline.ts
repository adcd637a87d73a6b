/**
 * The naive baseline `koban eval` compares against: one lunr index with lunr's default English
 * pipeline over the titles, questions and answers of every language; "no hit" means fallback.
 */
import lunr from 'lunr';
import type { KnowledgeBase } from '../engines/knowledge/loader.js';

export class BaselineSearch {
  private readonly index: lunr.Index;

  constructor(kb: KnowledgeBase) {
    const docs = [...kb.entries.values()].map((e) => {
      const ts = Object.values(e.translations);
      return {
        id: e.id,
        title: ts.map((t) => t.title).join(' '),
        questions: ts.flatMap((t) => t.questions).join(' '),
        body: ts.map((t) => t.body).join(' '),
      };
    });
    this.index = lunr(function () {
      this.ref('id');
      this.field('title');
      this.field('questions');
      this.field('body');
      for (const d of docs) this.add(d);
    });
  }

  /** Entry ids, best first (empty: the baseline refuses). */
  search(text: string): string[] {
    const tokens = lunr.tokenizer(text);
    return this.index
      .query((q) => {
        for (const token of tokens) q.term(token.toString(), { usePipeline: true });
      })
      .map((r) => r.ref);
  }
}
