// Signed unsubscribe links on the API's public URL, read when a link is made (the local runtime knows its port late).
import { createUnsubscribeLinks, type UnsubscribeLinks } from '#domain/unsubscribe-link.js';

export function unsubscribeLinksOn(platform: { unsubscribeSecret: string; publicUrl: () => string }): UnsubscribeLinks {
  const { publicUrl } = platform;
  return createUnsubscribeLinks({
    secret: platform.unsubscribeSecret,
    get baseUrl() {
      return publicUrl();
    },
  });
}
