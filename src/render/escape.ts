// Escaping for XML and HTML output (JUnit XML, the audit's HTML report). Text from rule files and rule
// code is hostile: it must never become markup.

// XML 1.0 allows only these characters; anything else (NUL, other C0 controls, lone surrogates) is dropped.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Element text. */
export function escapeXmlText(s: string): string {
  return String(s).replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A quoted attribute value (either quote), line breaks and tabs kept as character references. */
export function escapeXmlAttr(s: string): string {
  return escapeXmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
