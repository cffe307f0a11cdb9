/** A title's pieces, cut after dots, so that "P1 Name.method" wraps on a phone without splitting words (<wbr> between them). */
export function titleSegments(title: string): string[] {
  return title.split(/(?<=\.)(?=\S)/);
}
