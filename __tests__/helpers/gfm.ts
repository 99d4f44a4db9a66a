// GitHub-flavoured Markdown as GitHub renders comments, check-run summaries and job summaries (raw HTML
// allowed, autolinks on), for tests that must prove text from a report or a rule stays text: no tag but
// RuleGate's own, no link but to the repository, no @mention, #reference or autolink GitHub would act on.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: true, linkify: true });
md.linkify.set({ fuzzyLink: false }); // GitHub links `scheme://…`, `www.…` and e-mail addresses, not bare domains

/** The tags RuleGate's own Markdown produces. */
const OWN_TAGS = new Set(['p', 'br', 'ul', 'li', 'h3', 'h4', 'strong', 'em', 'code', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'sub', 'blockquote', 'pre']);

export function renderGfm(markdown: string): string {
  return md.render(markdown);
}

/** The hrefs of the rendered links. */
export function links(markdown: string): string[] {
  return [...renderGfm(markdown).matchAll(/<a\s+href="([^"]*)"/g)].map((m) => decodeEntities(m[1]));
}

/**
 * What in `markdown` would be live on GitHub although it came from data: foreign tags, links outside
 * `allowedLink`, HTML comments after the first line's marker, mentions, issue references, autolinks.
 */
export function liveMarkup(markdown: string, allowedLink: (href: string) => boolean): string[] {
  const html = renderGfm(markdown);
  const problems: string[] = [];
  for (const m of html.matchAll(/<\/?([A-Za-z][\w-]*)/g)) if (!OWN_TAGS.has(m[1].toLowerCase())) problems.push(`tag <${m[1]}>`);
  for (const href of links(markdown)) if (!allowedLink(href)) problems.push(`link ${href}`);
  const comments = [...html.matchAll(/<!--/g)].length - (markdown.startsWith('<!-- rulegate:') ? 1 : 0);
  if (comments > 0) problems.push(`${comments} HTML comment(s)`);
  if (/--!?>/.test(html.replace(/^<!-- rulegate:[^\n]*? -->/, ''))) problems.push('a comment end (--> or --!>)');
  const text = decodeEntities(html.replace(/<[^>]*>/g, ' '));
  for (const m of text.matchAll(/(?:^|[^\w`])@[A-Za-z0-9][\w-]*/g)) problems.push(`mention ${m[0].trim()}`);
  for (const m of text.matchAll(/(?:[\w.-]+\/[\w.-]+)?#\d+|GH-\d+/gi)) problems.push(`reference ${m[0]}`);
  for (const m of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/\S*|www\.\S*/gi)) problems.push(`autolink ${m[0]}`);
  return problems;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
