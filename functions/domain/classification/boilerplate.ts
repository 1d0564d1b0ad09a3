// Parts of a feed item that name places without being about them: bylines ("By Wim De Gent", whose surname is a
// Belgian city), photo credits ("Photo: Paris Match/Getty Images"), copyright lines and newsletter or sign-up
// prompts ("Sign up for our Brussels Playbook"). Country matching ignores mentions inside these spans. Every pattern
// is bounded and linear: no nested quantifiers over the same characters.

/** "By Jane Doe", "Von Anna Müller", "Par Jean Dupont", "Reporting by ...": up to four capitalised names. */
const BYLINE =
  /(?:^|\n)[ \t]*(?:(?:Additional )?(?:Reporting|Writing|Editing|Words|Story|Text|Texte|Report) by|By|BY|Von|VON|Par|PAR|Por|POR|Di|Door|Av|Af|Od|Autor|Autorin|Auteur|Автор|От)(?:[ \t]*:)?[ \t]+(?:\p{Lu}[\p{L}'’.-]{0,30}[ \t]*){1,5}(?:(?:and|und|et|y|e|i|и)[ \t]+(?:\p{Lu}[\p{L}'’.-]{0,30}[ \t]*){1,4})?/gu;
/** "Photo: ...", "Foto: ...", "Image by ...", "© ...", up to the end of the line or sentence. */
const CREDIT =
  /(?:\b(?:Photos?|Photograph|Picture|Image|Foto|Fotos|Bild|Crédit(?: photo)?|Photo credit|Credit|Fotó|Zdjęcie|Фото|Źródło)\b[ \t]*(?::|by|\/|©)|©)[^\n.]{0,100}/gu;
/** A sentence at most this long is one prompt. */
const SENTENCE = /[^.!?\n]{1,400}[.!?]*/g;
/** Words of a newsletter or sign-up prompt, in the languages the feeds carry most. */
const PROMPT =
  /\b(?:sign up|signup|subscribe|newsletter|inbox|unsubscribe|privacy policy|inscrivez|abonnez|abonnieren|anmelden|suscríbete|suscribete|iscriviti|assine|inscreva|zapisz się|подпишитесь|abone ol|tilaa)\b/iu;

/** [start, end) spans of the text that are bylines, credits or prompts. */
export function boilerplateSpans(source: string): [number, number][] {
  const spans: [number, number][] = [];
  if (source.length === 0) return spans;
  for (const pattern of [BYLINE, CREDIT]) {
    pattern.lastIndex = 0;
    for (const match of source.matchAll(pattern)) spans.push([match.index, match.index + match[0].length]);
  }
  // Sentence by sentence only when a prompt word is there at all: one scan dismisses nearly every window.
  if (!PROMPT.test(source)) return spans;
  for (const match of source.matchAll(SENTENCE)) {
    if (PROMPT.test(match[0])) spans.push([match.index, match.index + match[0].length]);
  }
  return spans;
}

/** True when [start, end) lies inside one of the spans. */
export function insideSpans(spans: readonly [number, number][], start: number, end: number): boolean {
  for (const [from, to] of spans) if (start >= from && end <= to) return true;
  return false;
}
