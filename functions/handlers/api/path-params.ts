// Path parameters, validated at the edge. Every "{name}" a route template uses must be listed here: route() refuses a
// template with an unknown name, so a new route cannot take an id the router does not check. A value that does not
// fit its pattern answers 400 before any handler or store sees it; one that fits but names nothing answers 404.
//
// The patterns are those of the ids newsalert makes (and the ones a caller may choose, like a feed id), with room to
// spare but far below DynamoDB's key limits (2048 bytes partition, 1024 bytes sort key).
import * as z from 'zod';

const idSchema = (pattern: RegExp, max: number, description: string) =>
  z
    .string()
    .max(max, { error: `must be at most ${max} characters` })
    .regex(pattern, { error: `must match ${pattern.source}` })
    .meta({ description });

export const PATH_PARAMS = {
  /** "f_" + 16 base64url characters when derived from the URL; a caller may choose one (FeedInputSchema). */
  feedId: idSchema(/^[A-Za-z0-9_-]{1,64}$/, 64, 'A feed id, e.g. "f_3Yb0uQe0aZ8kE1xL"'),
  /** "sub_" + 32 hex characters; the demo's are words ("demo-russia"). */
  subscriptionId: idSchema(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 128, 'A subscription id, e.g. "sub_0f1e…"'),
  /** The 16 hex characters between "na_" and the secret of a key. */
  keyId: idSchema(/^[0-9a-f]{16}$/, 16, 'An API key id: the 16 hex characters after "na_" in the key'),
  /**
   * What a delivery is about: a story id (22 base64url characters), "test_<id>" for a test alert, or
   * "digest#<release time>#<hash>" for a digest.
   */
  /** A file of the web console's build (functions/console): a lower-case name and a known extension. */
  asset: idSchema(/^[a-z0-9][a-z0-9-]{0,63}\.(?:js|css|svg|map)$/, 70, 'A console asset, e.g. "console.js"'),
  articleId: idSchema(/^[A-Za-z0-9_-][A-Za-z0-9_.:#-]{0,199}$/, 200, 'The story (article id) of a delivery, or its digest key'),
} satisfies Record<string, z.ZodString>;

export type PathParamName = keyof typeof PATH_PARAMS;

export function isPathParamName(name: string): name is PathParamName {
  return Object.hasOwn(PATH_PARAMS, name);
}
