/**
 * Scores exact-term queries against a lunr index the way `lunr.Index.query` does (per-field query
 * vectors, cosine against lunr's BM25 field vectors, fields summed, stable sort by score), from the
 * index's own postings and vectors compiled into flat arrays, without lunr's per-query token-set
 * intersection and match-data bookkeeping, which we never use. Same scores, same order, several
 * times faster, and the flat arrays save and load quickly (the index cache).
 */
import lunr from 'lunr';
import { findSorted } from './posting-lists.js';

/** One query term and its boost (a clause with every field, no wildcard, no edit distance). */
export interface ScoredTerm {
  term: string;
  boost: number;
}

export interface ScoredDoc {
  ref: string;
  score: number;
}

/** What lunr stores per term: the term's vector index and, per field, doc ref → metadata. */
export type Posting = { _index: number } & Record<string, Record<string, unknown>>;

/** The parts of lunr's serialised index (`lunr.Index.toJSON()`) that scoring reads. */
export interface LunrIndexJson {
  invertedIndex: Array<[string, Posting]>;
  fieldVectors: Array<[string, number[]]>;
}

/** A compiled index: for term row t and field f, docs and weights in [offsets[t*F+f], offsets[t*F+f+1]). */
export interface ScorerData {
  fieldCount: number;
  /** Document refs in lunr's index order. */
  refs: string[];
  /** Sorted. */
  terms: string[];
  /** lunr's own index of each term (its position in the vectors). */
  termIndex: Int32Array;
  offsets: Int32Array;
  /** 16-bit when there are at most 65,536 documents (half the memory of the largest array). */
  docs: Int32Array | Uint16Array;
  /**
   * lunr's weights in thousandths: lunr rounds them to 3 decimals, so `weight / 1000` is exactly
   * its value. Either the weights themselves (compiled from a lunr index) or, from
   * `compileDocuments`, what they are computed from with lunr's own arithmetic (a term count of a
   * byte or so per posting instead of four bytes of weight: postings are most of a large index).
   */
  weights: Int32Array | Bm25Weights;
}

/** What each posting's weight is computed from: weight = round(1000 x boost x BM25). */
export interface Bm25Weights {
  /** The term's count in the field, per posting. */
  counts: Uint8Array | Int32Array;
  /** lunr's idf of each term row. */
  idf: Float64Array;
  /** Per document and field (d * F + f): K1 x (1 - B + B x field length / average field length). */
  norms: Float64Array;
  /** Per field. */
  boosts: Float64Array;
}

/** Reads posting i's weight (thousandths), of term row `row` in field `f`. */
export type WeightOf = (i: number, row: number, f: number) => number;

export function weightReader(data: ScorerData): WeightOf {
  const w = data.weights;
  if (w instanceof Int32Array) return (i) => w[i] as number;
  const { counts, idf, norms, boosts } = w;
  const { docs, fieldCount: F } = data;
  // The same operations in the same order as compileDocuments once stored: the same numbers.
  return (i, row, f) => {
    const count = counts[i] as number;
    const score =
      ((idf[row] as number) * ((K1 + 1) * count)) / ((norms[(docs[i] as number) * F + f] as number) + count);
    return Math.round(score * (boosts[f] as number) * 1000);
  };
}

/** The data with every weight written out and 32-bit documents (to compare two compilations). */
export function plainScorerData(data: ScorerData): ScorerData {
  const weightOf = weightReader(data);
  const F = data.fieldCount;
  const weights = new Int32Array(data.docs.length);
  for (let row = 0; row < data.terms.length; row++)
    for (let f = 0; f < F; f++)
      for (let i = data.offsets[row * F + f] as number; i < (data.offsets[row * F + f + 1] as number); i++)
        weights[i] = weightOf(i, row, f);
  return { ...data, docs: Int32Array.from(data.docs), weights };
}

/** The value at `termIndex` in a lunr vector's flat [index, value, ...] elements. */
function valueAt(elements: readonly number[], termIndex: number): number {
  let lo = 0;
  let hi = elements.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = elements[mid * 2] as number;
    if (at === termIndex) return elements[mid * 2 + 1] as number;
    if (at < termIndex) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** Compiles lunr's serialised index for the fields `fields` (in lunr's field order). */
export function compileLunr(index: LunrIndexJson, fields: readonly string[]): ScorerData {
  const vectors = new Map(index.fieldVectors);
  const refs = [...new Set(index.fieldVectors.map(([key]) => key.slice(key.indexOf('/') + 1)))];
  const docOf = new Map(refs.map((ref, i) => [ref, i]));
  const F = fields.length;
  // lunr serialises its terms sorted; sorting again costs nothing and makes lookups safe.
  const inverted = [...index.invertedIndex].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const terms = inverted.map(([term]) => term);
  const termIndex = new Int32Array(terms.length);
  const offsets = new Int32Array(terms.length * F + 1);
  const docs: number[] = [];
  const weights: number[] = [];
  inverted.forEach(([, posting], t) => {
    termIndex[t] = posting._index;
    fields.forEach((field, f) => {
      offsets[t * F + f] = docs.length;
      for (const ref of Object.keys(posting[field] ?? {})) {
        docs.push(docOf.get(ref) ?? 0);
        weights.push(Math.round(valueAt(vectors.get(`${field}/${ref}`) ?? [], posting._index) * 1000));
      }
    });
  });
  offsets[terms.length * F] = docs.length;
  return {
    fieldCount: F,
    refs,
    terms,
    termIndex,
    offsets,
    docs: Int32Array.from(docs),
    weights: Int32Array.from(weights),
  };
}

/** One document to index: its ref and, per field (in the fields' order), its analysed terms. */
export interface ScorerDocument {
  id: string;
  fields: ReadonlyArray<readonly string[]>;
}

/** lunr's BM25 constants (`lunr.Builder`'s defaults). */
const K1 = 1.2;
const B = 0.75;
/** lunr's token separator (`lunr.tokenizer.separator`); its tokenizer also lower-cases. */
const SEPARATOR = /[\s-]+/;

/**
 * Builds the compiled index directly from analysed terms: the same ScorerData that
 * `compileLunr(lunr(...).toJSON(), fields)` gives for documents whose fields are the terms joined by
 * spaces (lunr's pipeline reset, `boosts[f]` per field), without lunr.Builder's per-term objects,
 * token set and serialisation (the build's bottleneck at thousands of entries). It repeats lunr's
 * arithmetic step by step (term numbering in first-met order, idf over field postings, BM25 with
 * k1 1.2 and b 0.75, field boost, rounding to 3 decimals), so scores are identical, not merely close.
 */
export function compileDocuments(
  documents: readonly ScorerDocument[],
  fields: readonly string[],
  boosts: readonly number[],
): ScorerData {
  const compiler = new ScorerCompiler(fields.length, boosts);
  for (const doc of documents) compiler.add(doc);
  return compiler.finish();
}

/** Rows per chunk of ScorerCompiler's row arrays. */
const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

/**
 * compileDocuments one document at a time (`add`, then `finish` once): a document's analysed terms
 * are not needed once added, so a build need not hold every document's terms at once (at 20,000
 * entries, hundreds of megabytes). Its rows (one per document, field and distinct term) are kept in
 * chunks of typed arrays, the term and its count (the document and field are known from where the
 * row is): 8 bytes a row, allocated as needed instead of doubled and copied.
 */
export class ScorerCompiler {
  private readonly termIds = new Map<string, number>();
  private readonly termNames: string[] = [];
  private readonly refs: string[] = [];
  /** Per document and field (d * F + f): the field's length, and the end of its rows. */
  private fieldLengths = new Float64Array(1024);
  private rowEnd = new Int32Array(1024);
  private readonly rowTerm: Int32Array[] = [];
  private readonly rowTf: Int32Array[] = [];
  private rows = 0;
  private maxCount = 0;
  /** A field's term counts by term id, and the ids it holds in first-met order. */
  private tf = new Int32Array(1024);
  private readonly met: number[] = [];
  /** lunr's tokenizer (lower-case, split on spaces and hyphens), once per distinct analysed term. */
  private readonly idsOf = new Map<string, number[]>();

  constructor(
    private readonly F: number,
    private readonly boosts: readonly number[],
  ) {}

  add(doc: ScorerDocument): void {
    const { F, termIds, termNames, idsOf, met } = this;
    const d = this.refs.length;
    this.refs.push(doc.id);
    if ((d + 1) * F > this.rowEnd.length) {
      const size = Math.max((d + 1) * F, this.rowEnd.length * 2);
      const lengths = new Float64Array(size);
      lengths.set(this.fieldLengths);
      this.fieldLengths = lengths;
      const ends = new Int32Array(size);
      ends.set(this.rowEnd);
      this.rowEnd = ends;
    }
    for (let f = 0; f < F; f++) {
      let length = 0;
      for (const raw of doc.fields[f] ?? []) {
        let ids = idsOf.get(raw);
        if (!ids) {
          // First meeting of this analysed term: its tokens get their numbers now if new, which is
          // the order lunr numbers them in (the first document, field and position using them).
          const lower = raw.toLowerCase();
          const tokens = (SEPARATOR.test(lower) ? lower.split(SEPARATOR) : [lower]).filter(
            (t) => t.length > 0,
          );
          ids = tokens.map((token) => {
            let id = termIds.get(token);
            if (id === undefined) {
              id = termNames.length;
              termIds.set(token, id);
              termNames.push(token);
              if (id >= this.tf.length) {
                const grown = new Int32Array(this.tf.length * 2);
                grown.set(this.tf);
                this.tf = grown;
              }
            }
            return id;
          });
          idsOf.set(raw, ids);
        }
        for (const id of ids) {
          length++;
          if (this.tf[id] === 0) met.push(id);
          this.tf[id] = (this.tf[id] as number) + 1;
        }
      }
      this.fieldLengths[d * F + f] = length;
      const tf = this.tf;
      for (const id of met) {
        const r = this.rows;
        if ((r & CHUNK_MASK) === 0 && r >> CHUNK_BITS === this.rowTerm.length) {
          this.rowTerm.push(new Int32Array(CHUNK));
          this.rowTf.push(new Int32Array(CHUNK));
        }
        const count = tf[id] as number;
        (this.rowTerm[r >> CHUNK_BITS] as Int32Array)[r & CHUNK_MASK] = id;
        (this.rowTf[r >> CHUNK_BITS] as Int32Array)[r & CHUNK_MASK] = count;
        if (count > this.maxCount) this.maxCount = count;
        this.rows = r + 1;
        tf[id] = 0;
      }
      met.length = 0;
      this.rowEnd[d * F + f] = this.rows;
    }
  }

  /** The compiled index of the documents added. */
  finish(): ScorerData {
    const { F, termNames, rows, rowTerm, rowTf, rowEnd, fieldLengths, boosts } = this;
    const n = this.refs.length;
    this.idsOf.clear();
    this.termIds.clear();
    const termOf = (r: number): number => (rowTerm[r >> CHUNK_BITS] as Int32Array)[r & CHUNK_MASK] as number;
    // lunr.idf counts a document once per field holding the term.
    const postings = new Int32Array(termNames.length);
    for (let r = 0; r < rows; r++) postings[termOf(r)] = (postings[termOf(r)] as number) + 1;
    // Average field lengths, summed in document order as lunr does.
    const average = new Float64Array(F);
    for (let d = 0; d < n; d++)
      for (let f = 0; f < F; f++) average[f] = (average[f] as number) + (fieldLengths[d * F + f] as number);
    for (let f = 0; f < F; f++) average[f] = (average[f] as number) / n;
    const idf = new Float64Array(termNames.length);
    for (let id = 0; id < termNames.length; id++) {
      const x = (n - (postings[id] as number) + 0.5) / ((postings[id] as number) + 0.5);
      idf[id] = Math.log(1 + Math.abs(x));
    }
    // Terms sorted as lunr serialises them; rows grouped by (sorted term, field), documents ascending.
    const order = termNames
      .map((_, id) => id)
      .sort((a, b) => {
        const x = termNames[a] as string;
        const y = termNames[b] as string;
        return x < y ? -1 : x > y ? 1 : 0;
      });
    const rowOf = new Int32Array(termNames.length);
    order.forEach((id, row) => {
      rowOf[id] = row;
    });
    const offsets = new Int32Array(termNames.length * F + 1);
    let r = 0;
    for (let k = 0; k < n * F; k++) {
      const f = k % F;
      for (const end = rowEnd[k] as number; r < end; r++) {
        const key = (rowOf[termOf(r)] as number) * F + f;
        offsets[key + 1] = (offsets[key + 1] as number) + 1;
      }
    }
    for (let k = 0; k < termNames.length * F; k++)
      offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
    const next = offsets.slice(0, termNames.length * F);
    const docs = n <= 65_536 ? new Uint16Array(rows) : new Int32Array(rows);
    const counts = this.maxCount <= 255 ? new Uint8Array(rows) : new Int32Array(rows);
    r = 0;
    for (let k = 0; k < n * F; k++) {
      const d = Math.floor(k / F);
      const f = k - d * F;
      for (const end = rowEnd[k] as number; r < end; r++) {
        const key = (rowOf[termOf(r)] as number) * F + f;
        const at = next[key] as number;
        next[key] = at + 1;
        docs[at] = d;
        counts[at] = (rowTf[r >> CHUNK_BITS] as Int32Array)[r & CHUNK_MASK] as number;
      }
    }
    rowTerm.length = 0;
    rowTf.length = 0;
    // Each weight is computed when read (weightReader), exactly as lunr computes it:
    // idf x (K1 + 1) x count / (K1 x (1 - B + B x length / average) + count), times the field's boost.
    const norms = new Float64Array(n * F);
    for (let d = 0; d < n; d++)
      for (let f = 0; f < F; f++)
        norms[d * F + f] = K1 * (1 - B + B * ((fieldLengths[d * F + f] as number) / (average[f] as number)));
    return {
      fieldCount: F,
      refs: this.refs,
      terms: order.map((id) => termNames[id] as string),
      termIndex: Int32Array.from(order),
      offsets,
      docs,
      weights: {
        counts,
        idf: Float64Array.from(order, (id) => idf[id] as number),
        norms,
        boosts: Float64Array.from({ length: F }, (_, f) => boosts[f] ?? 1),
      },
    };
  }
}

/** The same ScorerData built the old way, through lunr.Builder (for tests and the bench). */
export function compileWithLunr(
  documents: readonly ScorerDocument[],
  fields: readonly string[],
  boosts: readonly number[],
): ScorerData {
  const index = lunr(function () {
    // Terms arrive analyzed; lunr's own English pipeline must not touch them.
    this.pipeline.reset();
    this.searchPipeline.reset();
    this.ref('id');
    fields.forEach((f, i) => {
      this.field(f, { boost: boosts[i] ?? 1 });
    });
    for (const doc of documents) {
      const record: Record<string, string> = { id: doc.id };
      fields.forEach((f, i) => {
        record[f] = (doc.fields[i] ?? []).join(' ');
      });
      this.add(record);
    }
  });
  return compileLunr(index.toJSON() as unknown as LunrIndexJson, fields);
}

/**
 * A limited query whose terms' postings number at least this many is answered by pruning (see
 * `LunrScorer.pruned`); below it, walking every posting costs less than the pruning's bookkeeping.
 */
export const PRUNE_FROM_POSTINGS = 4096;
/** Relative slack on the pruning's bounds, far above floating-point error (scores sum a few dozen terms). */
const BOUND_SLACK = 1e-9;
/** More candidates than this many times `limit` left after pruning: walk everything instead. */
const MAX_CANDIDATES_PER_RESULT = 64;

export class LunrScorer {
  /** Per-query scratch, sized to the documents and reused (zeroed again after each query). */
  private scratch:
    | { met: Int32Array; fieldCount: Uint8Array; fieldOrder: Uint8Array; dots: Float64Array }
    | undefined;
  /** The pruning's scratch: partial scores per document (zeroed again after each query). */
  private partial: Float64Array | undefined;
  /**
   * Per term row, the largest sum over fields of one document's weights (thousandths), computed on
   * the row's first pruned query; -1 not yet known, -2 a row whose documents are not ascending.
   */
  private rowMax: Float64Array | undefined;
  private readonly pruneFrom: number;
  private readonly weightOf: WeightOf;
  /** How many documents the last pruned query scored exactly (for tests and tuning). */
  lastExactlyScored = 0;

  /**
   * `data.terms` is sorted (lunr serialises its terms sorted): lookups are binary searches.
   * `pruneFrom`: the postings from which a limited query prunes (PRUNE_FROM_POSTINGS; tests lower it).
   */
  constructor(
    readonly data: ScorerData,
    options: { pruneFrom?: number } = {},
  ) {
    this.pruneFrom = options.pruneFrom ?? PRUNE_FROM_POSTINGS;
    this.weightOf = weightReader(data);
  }

  /**
   * Documents matching any of the terms, best first (ties in lunr's order); with `limit`, only the
   * first `limit` of that same order.
   */
  query(terms: readonly ScoredTerm[], limit = Number.POSITIVE_INFINITY): ScoredDoc[] {
    const { fieldCount: F, refs, termIndex, offsets, docs } = this.data;
    const weightOf = this.weightOf;
    // lunr treats a query with no clauses as negated: every document, scored 0, in index order.
    if (terms.length === 0) return refs.slice(0, limit).map((ref) => ({ ref, score: 0 }));
    if (limit <= 0) return [];
    if (Number.isFinite(limit)) {
      const pruned = this.pruned(terms, limit);
      if (pruned) return pruned;
    }
    const N = refs.length;
    this.scratch ??= {
      met: new Int32Array(N),
      fieldCount: new Uint8Array(N),
      fieldOrder: new Uint8Array(N * F),
      dots: new Float64Array(N * F),
    };
    const { met, fieldCount, fieldOrder, dots } = this.scratch;
    // The query vector (shared by every field, since every clause covers every field).
    const vector = new Map<number, number>();
    const found: Array<{ row: number; index: number }> = [];
    // Each document's matching fields in the order lunr first meets them: it sums field scores in
    // that order, and its results keep the documents' first-met order for ties.
    let metCount = 0;
    for (const { term, boost } of terms) {
      const row = findSorted(this.data.terms, term);
      if (row < 0) continue;
      const index = termIndex[row] as number;
      const previous = vector.get(index);
      if (previous === undefined) found.push({ row, index });
      vector.set(index, (previous ?? 0) + boost);
      for (let f = 0; f < F; f++) {
        for (let i = offsets[row * F + f] as number; i < (offsets[row * F + f + 1] as number); i++) {
          const doc = docs[i] as number;
          const count = fieldCount[doc] as number;
          if (count === 0) met[metCount++] = doc;
          let seen = false;
          for (let k = 0; k < count; k++) if (fieldOrder[doc * F + k] === f) seen = true;
          if (!seen) {
            fieldOrder[doc * F + count] = f;
            fieldCount[doc] = count + 1;
          }
        }
      }
    }
    if (metCount === 0) return [];
    found.sort((a, b) => a.index - b.index);
    let sumOfSquares = 0;
    for (const { index } of found) {
      const v = vector.get(index) as number;
      sumOfSquares += v * v;
    }
    const magnitude = Math.sqrt(sumOfSquares);
    // Per field, dot products summed in ascending term index, as lunr's Vector.dot does.
    for (let f = 0; f < F; f++) {
      for (const { row, index } of found) {
        const q = vector.get(index) as number;
        for (let i = offsets[row * F + f] as number; i < (offsets[row * F + f + 1] as number); i++) {
          const at = (docs[i] as number) * F + f;
          // Stored in thousandths: / 1000 gives lunr's rounded weight exactly.
          dots[at] = (dots[at] as number) + q * (weightOf(i, row, f) / 1000);
        }
      }
    }
    // Scores in first-met order, then a stable sort (or, with a limit, the same first `limit`).
    const results: ScoredDoc[] = [];
    const all = limit >= metCount;
    for (let m = 0; m < metCount; m++) {
      const doc = met[m] as number;
      let score = 0;
      const count = fieldCount[doc] as number;
      for (let k = 0; k < count; k++)
        score += (dots[doc * F + (fieldOrder[doc * F + k] as number)] as number) / magnitude || 0;
      fieldCount[doc] = 0;
      dots.fill(0, doc * F, doc * F + F);
      if (all) {
        results.push({ ref: refs[doc] as string, score });
        continue;
      }
      // Keep the best `limit`, a later document after earlier ones of the same score (stable).
      if (results.length === limit && score <= (results[limit - 1] as ScoredDoc).score) continue;
      let at = results.length;
      while (at > 0 && (results[at - 1] as ScoredDoc).score < score) at--;
      results.splice(at, 0, { ref: refs[doc] as string, score });
      if (results.length > limit) results.pop();
    }
    return all ? results.sort((a, b) => b.score - a.score) : results;
  }

  /**
   * The first `limit` results of `query`'s ranking, without scoring every document that holds a
   * common term (MaxScore): terms are taken rarest-first (by the most one document can get from
   * each), and once the terms left could not lift a document not yet met above the `limit`-th best
   * partial score, only the documents met so far that still could are scored, exactly as `query`
   * scores them (same sums in the same order, ties in the same first-met order). Undefined when
   * pruning does not pay (few postings) or cannot be used (a row not in document order); the
   * caller then walks every posting.
   */
  private pruned(terms: readonly ScoredTerm[], limit: number): ScoredDoc[] | undefined {
    const { fieldCount: F, refs, termIndex, offsets, docs } = this.data;
    const weightOf = this.weightOf;
    // The distinct rows in query order with their summed boosts, as `query` builds its vector.
    const rows: number[] = [];
    const boostOf = new Map<number, number>();
    let postings = 0;
    for (const { term, boost } of terms) {
      const row = findSorted(this.data.terms, term);
      if (row < 0) continue;
      const previous = boostOf.get(row);
      if (previous === undefined) {
        rows.push(row);
        postings += (offsets[row * F + F] as number) - (offsets[row * F] as number);
      }
      boostOf.set(row, (previous ?? 0) + boost);
    }
    if (postings < this.pruneFrom || rows.length === 0) return undefined;
    // The query vector's magnitude, summed in ascending term index as `query` sums it.
    const byIndex = rows
      .map((_, r) => r)
      .sort((a, b) => (termIndex[rows[a] as number] as number) - (termIndex[rows[b] as number] as number));
    let sumOfSquares = 0;
    for (const r of byIndex) {
      const v = boostOf.get(rows[r] as number) as number;
      sumOfSquares += v * v;
    }
    const magnitude = Math.sqrt(sumOfSquares);
    // Each row's most one document can get from it, then rows by that bound, largest first.
    const bound = new Map<number, number>();
    for (const row of rows) {
      const max = this.maxOfRow(row);
      if (max < 0) return undefined;
      bound.set(row, ((boostOf.get(row) as number) * (max / 1000)) / magnitude);
    }
    const order = [...rows].sort((a, b) => (bound.get(b) as number) - (bound.get(a) as number));
    const rest = new Float64Array(order.length + 1);
    for (let i = order.length - 1; i >= 0; i--)
      rest[i] = (rest[i + 1] as number) + (bound.get(order[i] as number) as number);
    const N = refs.length;
    this.partial ??= new Float64Array(N);
    this.scratch ??= {
      met: new Int32Array(N),
      fieldCount: new Uint8Array(N),
      fieldOrder: new Uint8Array(N * F),
      dots: new Float64Array(N * F),
    };
    const partial = this.partial;
    // A document's weight may round to 0 thousandths: met-ness is its own flag, not partial > 0.
    const { met, fieldCount: seen } = this.scratch;
    let metCount = 0;
    let best = 0;
    let threshold = 0;
    let taken = 0;
    for (; taken < order.length; taken++) {
      const left = (rest[taken] as number) * (1 + BOUND_SLACK);
      if (taken > 0 && metCount >= limit && left < best) {
        threshold = kthLargest(partial, met, metCount, limit) * (1 - BOUND_SLACK);
        if (left < threshold) break;
      }
      const row = order[taken] as number;
      const q = (boostOf.get(row) as number) / magnitude;
      for (let f = 0; f < F; f++) {
        for (let i = offsets[row * F + f] as number; i < (offsets[row * F + f + 1] as number); i++) {
          const doc = docs[i] as number;
          if (seen[doc] === 0) {
            seen[doc] = 1;
            met[metCount++] = doc;
          }
          const next = (partial[doc] as number) + q * (weightOf(i, row, f) / 1000);
          partial[doc] = next;
          if (next > best) best = next;
        }
      }
    }
    // The terms left cannot lift a document not met yet to the threshold: they only add to those met.
    for (let t = taken; t < order.length; t++) {
      const row = order[t] as number;
      const q = (boostOf.get(row) as number) / magnitude;
      for (let f = 0; f < F; f++) {
        for (let i = offsets[row * F + f] as number; i < (offsets[row * F + f + 1] as number); i++) {
          const doc = docs[i] as number;
          if (seen[doc] === 1) partial[doc] = (partial[doc] as number) + q * (weightOf(i, row, f) / 1000);
        }
      }
    }
    // Every met document's score is now known but for rounding: those that may be in the first `limit`.
    if (metCount >= limit) threshold = kthLargest(partial, met, metCount, limit) * (1 - BOUND_SLACK);
    const candidates: number[] = [];
    for (let m = 0; m < metCount; m++) {
      const doc = met[m] as number;
      if ((partial[doc] as number) * (1 + BOUND_SLACK) >= threshold) candidates.push(doc);
      partial[doc] = 0;
      seen[doc] = 0;
    }
    if (candidates.length > MAX_CANDIDATES_PER_RESULT * limit) return undefined;
    this.lastExactlyScored = candidates.length;
    // Each candidate scored as `query` scores it: where it sits in each (row, field) posting.
    const R = rows.length;
    const scored: Array<{ doc: number; score: number; first: number }> = [];
    const at = new Int32Array(R * F);
    const fieldOrder: number[] = [];
    const dots = new Float64Array(F);
    for (const doc of candidates) {
      let first = -1;
      fieldOrder.length = 0;
      for (let r = 0; r < R; r++) {
        const row = rows[r] as number;
        for (let f = 0; f < F; f++) {
          const i = findDoc(docs, offsets[row * F + f] as number, offsets[row * F + f + 1] as number, doc);
          at[r * F + f] = i;
          if (i < 0) continue;
          if (first < 0) first = r * F + f;
          if (!fieldOrder.includes(f)) fieldOrder.push(f);
        }
      }
      dots.fill(0);
      for (let f = 0; f < F; f++) {
        for (const r of byIndex) {
          const i = at[r * F + f] as number;
          if (i < 0) continue;
          dots[f] =
            (dots[f] as number) +
            (boostOf.get(rows[r] as number) as number) * (weightOf(i, rows[r] as number, f) / 1000);
        }
      }
      let score = 0;
      for (const f of fieldOrder) score += (dots[f] as number) / magnitude || 0;
      scored.push({ doc, score, first });
    }
    // `query`'s order: score, then first met (the earliest row and field holding it, then document).
    scored.sort((a, b) => b.score - a.score || a.first - b.first || a.doc - b.doc);
    return scored.slice(0, limit).map(({ doc, score }) => ({ ref: refs[doc] as string, score }));
  }

  /**
   * Whether document `doc` holds `term`: 0 no, 1 in the last field only, 2 in another (the lead
   * fields). Needs each term's documents ascending in every field (docsAscending).
   */
  holds(term: string, doc: number): 0 | 1 | 2 {
    return this.holdsRow(this.rowOf(term), doc);
  }

  /** The row of `term` in the postings (-1 when no document holds it), for holdsRow. */
  rowOf(term: string): number {
    return findSorted(this.data.terms, term);
  }

  /** holds() of the term in row `row` (from rowOf: one look-up for many documents). */
  holdsRow(row: number, doc: number): 0 | 1 | 2 {
    if (row < 0) return 0;
    const { fieldCount: F, offsets, docs } = this.data;
    for (let f = 0; f < F; f++) {
      if (findDoc(docs, offsets[row * F + f] as number, offsets[row * F + f + 1] as number, doc) >= 0)
        return f < F - 1 ? 2 : 1;
    }
    return 0;
  }

  /** Whether every term's documents are ascending in every field (as compileDocuments writes them). */
  docsAscending(): boolean {
    const { offsets, docs } = this.data;
    for (let k = 0; k + 1 < offsets.length; k++) {
      for (let i = (offsets[k] as number) + 1; i < (offsets[k + 1] as number); i++)
        if ((docs[i] as number) <= (docs[i - 1] as number)) return false;
    }
    return true;
  }

  /** The most one document gets from `row` (thousandths, all fields summed); -2 if not in document order. */
  private maxOfRow(row: number): number {
    const { fieldCount: F, offsets, docs } = this.data;
    const weightOf = this.weightOf;
    this.rowMax ??= new Float64Array(this.data.terms.length).fill(-1);
    const known = this.rowMax[row] as number;
    if (known !== -1) return known;
    this.partial ??= new Float64Array(this.data.refs.length);
    const sums = this.partial;
    let max = 0;
    let sorted = true;
    for (let f = 0; f < F; f++) {
      let previous = -1;
      for (let i = offsets[row * F + f] as number; i < (offsets[row * F + f + 1] as number); i++) {
        const doc = docs[i] as number;
        if (doc <= previous) sorted = false;
        previous = doc;
        const sum = (sums[doc] as number) + weightOf(i, row, f);
        sums[doc] = sum;
        if (sum > max) max = sum;
      }
    }
    for (let i = offsets[row * F] as number; i < (offsets[row * F + F] as number); i++)
      sums[docs[i] as number] = 0;
    const result = sorted ? max : -2;
    this.rowMax[row] = result;
    return result;
  }
}

/** Where `doc` is in the ascending `docs[from..to)`, or -1. */
function findDoc(docs: Int32Array | Uint16Array, from: number, to: number, doc: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = docs[mid] as number;
    if (at === doc) return mid;
    if (at < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The k-th largest of `values[met[0..count)]` (k <= count), by a small sorted buffer. */
function kthLargest(values: Float64Array, met: Int32Array, count: number, k: number): number {
  const top: number[] = [];
  for (let m = 0; m < count; m++) {
    const v = values[met[m] as number] as number;
    if (top.length === k && v <= (top[k - 1] as number)) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1] as number) < v) at--;
    top.splice(at, 0, v);
    if (top.length > k) top.pop();
  }
  return top[k - 1] as number;
}
