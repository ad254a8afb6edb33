declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}
