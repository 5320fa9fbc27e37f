// Minimal declarations for the two wink packages the benchmark uses (they ship none).
declare module 'wink-bm25-text-search' {
  interface Bm25Engine {
    defineConfig(config: { fldWeights: Record<string, number>; bm25Params?: { k1?: number; b?: number; k?: number } }): boolean;
    definePrepTasks(tasks: Array<(input: never) => unknown>, field?: string): number;
    addDoc(doc: Record<string, string>, uniqueId: string | number): number;
    consolidate(fp?: number): boolean;
    search(text: string, limit?: number): Array<[string, number]>;
  }
  function bm25(): Bm25Engine;
  export default bm25;
}

declare module 'wink-nlp-utils' {
  type StringTask = (s: string) => string;
  interface Utils {
    string: { lowerCase: StringTask; tokenize0: (s: string) => string[]; removeExtraSpaces: StringTask };
    tokens: {
      removeWords: (t: string[]) => string[];
      stem: (t: string[]) => string[];
      propagateNegations: (t: string[]) => string[];
    };
  }
  const utils: Utils;
  export default utils;
}
