/** A bilingual text: every message the platform shows exists in Chinese and English. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

export function bi(zh: string, en: string): Bilingual {
  return { zh, en };
}
