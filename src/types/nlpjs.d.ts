// The parts of NLP.js the bot uses; the packages ship no type declarations.
declare module '@nlpjs/neural' {
  export class NeuralNetwork {
    constructor(settings?: Record<string, unknown>);
    train(corpus: { input: Record<string, number>; output: Record<string, number> }[]): unknown;
    run(input: Record<string, number>): Record<string, number> | undefined;
    toJSON(): unknown;
    fromJSON(json: unknown): void;
  }
}

declare module '@nlpjs/lang-en' {
  export class StemmerEn {
    stem(tokens: string[]): string[];
  }
}
declare module '@nlpjs/lang-it' {
  export class StemmerIt {
    stem(tokens: string[]): string[];
  }
}
declare module '@nlpjs/lang-es' {
  export class StemmerEs {
    stem(tokens: string[]): string[];
  }
}
declare module '@nlpjs/lang-fr' {
  export class StemmerFr {
    stem(tokens: string[]): string[];
  }
}
declare module '@nlpjs/lang-de' {
  export class StemmerDe {
    stem(tokens: string[]): string[];
  }
}
