// Text that can be stored exactly as it was sent. PostgreSQL refuses U+0000 in text and
// jsonb (the write fails), and an unpaired UTF-16 surrogate has no UTF-8 form (it would
// silently become U+FFFD): input carrying either is refused before it goes anywhere.

// Without the u flag the pattern works on UTF-16 code units, which is what a lone surrogate is.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The index of the first character that cannot be stored, or -1 when the text is fine. */
export function unstorableAt(text: string): number {
  const match = UNSTORABLE.exec(text);
  return match ? match.index : -1;
}

export function isStorableText(text: string): boolean {
  return unstorableAt(text) < 0;
}

/** For messages: the text with each character that cannot be stored shown as U+FFFD. */
export function showUnstorable(text: string): string {
  return text.replace(new RegExp(UNSTORABLE.source, "g"), "\ufffd");
}
