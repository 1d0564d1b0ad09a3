// The Slack channel: a Block Kit message POSTed to the subscriber's incoming-webhook URL, through the same SSRF
// guard as webhooks.
import type { AlertPayload, OutboundAlert } from '#domain/types.js';
import { reasonsLine } from '#adapters/sns-alert-messages.js';
import type { ChannelSender } from './channel.js';
import { createJsonPost } from './http-post.js';
import type { HttpPostDeps } from './http-post.js';

const SLACK_TEXT_LIMIT = 3000;
const SLACK_HEADER_LIMIT = 150;
/** Slack allows 50 blocks a message; a digest lists at most this many stories and says how many more there were. */
const SLACK_MAX_STORIES = 15;

type SlackBlock = Record<string, unknown>;

export function createSlackChannel(deps: HttpPostDeps): ChannelSender<'slack'> {
  const post = createJsonPost(deps);
  return {
    send: (channel, alert, options) => post(channel.webhookUrl, JSON.stringify(slackMessageFor(alert)), {}, options),
  };
}

function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function storyBlocks(entry: Pick<AlertPayload, 'article' | 'reasons'>): SlackBlock[] {
  const { article } = entry;
  const link = `*<${article.url}|${slackEscape(clip(article.title, 200))}>*`;
  return [
    { type: 'section', text: { type: 'mrkdwn', text: clip(`${link}\n${slackEscape(article.summary)}`, SLACK_TEXT_LIMIT) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: clip(`${slackEscape(article.sourceName)} · ${slackEscape(reasonsLine(entry.reasons))}`, SLACK_TEXT_LIMIT) }] },
  ];
}

/** A Block Kit message: a header, the story as a section (title link and summary), and why it matched as context. */
function slackMessageFor(alert: OutboundAlert): { text: string; blocks: SlackBlock[] } {
  const footer: SlackBlock[] = alert.unsubscribeUrl === undefined ? [] : [{ type: 'context', elements: [{ type: 'mrkdwn', text: `<${alert.unsubscribeUrl}|Unsubscribe>` }] }];
  if (alert.type !== 'digest.created') {
    const header = alert.type === 'story.updated' ? `Updated: ${alert.article.title}` : alert.article.title;
    return {
      text: alert.article.title,
      blocks: [{ type: 'header', text: { type: 'plain_text', text: clip(header, SLACK_HEADER_LIMIT) } }, ...storyBlocks(alert), ...footer],
    };
  }
  const count = alert.stories.length;
  const shown = alert.stories.slice(0, SLACK_MAX_STORIES);
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: `${count} ${count === 1 ? 'story' : 'stories'} for you` } }];
  for (const story of shown) {
    const first = story.alerts[0];
    if (first === undefined) continue;
    blocks.push({ type: 'divider' }, ...storyBlocks(first));
  }
  if (count > shown.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${count - shown.length} more` }] });
  return { text: `${count} ${count === 1 ? 'story' : 'stories'} for you`, blocks: [...blocks, ...footer] };
}
