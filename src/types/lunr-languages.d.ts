// lunr-languages ships CommonJS plugins without type declarations: each export takes lunr and adds itself.
declare module 'lunr-languages/lunr.stemmer.support.js' {
  const plugin: (lunr: unknown) => void;
  export default plugin;
}
declare module 'lunr-languages/lunr.tr.js' {
  const plugin: (lunr: unknown) => void;
  export default plugin;
}
declare module '@nlpjs/lang-id' {
  export class StemmerId {
    stem(word: string): string;
  }
}
declare module '@nlpjs/lang-tl' {
  export class StemmerTl {
    stem(word: string): string;
  }
}
