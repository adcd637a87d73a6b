import type { Reply } from './reply.js';

/** Light Markdown → plain text: drops emphasis markers, keeps list bullets and link targets. */
export function markdownToPlain(md: string): string {
  return md
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/__(.+?)__/g, '$1')
    .replace(/(^|[\s(])\*(\S(?:.*?\S)?)\*(?=[\s).,!?]|$)/gm, '$1$2')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/^\s*[-*]\s+/gm, '• ');
}

/** The whole reply as plain text (for the console and `koban ask --json`'s "text"). */
export function replyToPlainText(reply: Reply, suggestionsLabel: string): string {
  const parts: string[] = [];
  if (reply.title) parts.push(reply.title);
  parts.push(markdownToPlain(reply.text));
  for (const note of reply.notes) parts.push(`(${note})`);
  if (reply.suggestions.length > 0) {
    parts.push([suggestionsLabel, ...reply.suggestions.map((s, i) => `  ${i + 1}. ${s.title}`)].join('\n'));
  }
  if (reply.buttons.length > 0) parts.push(reply.buttons.map((b, i) => `[${i + 1}] ${b.label}`).join('  '));
  return parts.join('\n\n');
}
