import { describe, expect, it } from 'vitest';
import { classify } from '#domain/classification/index.js';
import { hostOfUrl, inferSourceCountry } from '#domain/classification/source-country.js';

describe('source country', () => {
  it('takes the feed’s configured country first, with full confidence', () => {
    // Act
    const source = inferSourceCountry({ configured: 'gb', urls: ['https://www.lemonde.fr/rss/une.xml'], languageTag: 'fr-FR' });

    // Assess
    expect(source).toEqual({ code: 'GB', confidence: 1, basis: 'feed', evidence: 'configured on the feed' });
  });

  it('knows a listed publisher by its host, also on a subdomain', () => {
    // Act
    const subdomain = inferSourceCountry({ urls: ['https://rss.nytimes.com/services/xml/rss/nyt/HomePage.xml'] });
    const listed = inferSourceCountry({ urls: ['https://elpais.com/rss/feed.html'] });

    // Assess
    expect(subdomain).toEqual({ code: 'US', confidence: 0.9, basis: 'publisher', evidence: 'nytimes.com' });
    expect(listed).toMatchObject({ code: 'ES', basis: 'publisher' });
  });

  it('falls back to the country-code domain, but not to ccTLDs sold as generic names', () => {
    // Act
    const german = inferSourceCountry({ urls: ['https://www.example-zeitung.de/feed'] });
    const british = inferSourceCountry({ urls: ['https://news.example.co.uk/rss'] });
    const startup = inferSourceCountry({ urls: ['https://blog.example.io/feed'] });

    // Assess
    expect(german).toEqual({ code: 'DE', confidence: 0.7, basis: 'cctld', evidence: '.de' });
    expect(british?.code).toBe('GB');
    expect(startup).toBeUndefined();
  });

  it('reads the region of the feed’s language tag last (pt-BR -> BR), and trusts a default en-US less', () => {
    // Act
    const brazil = inferSourceCountry({ urls: ['https://example.com/feed'], languageTag: 'pt-BR' });
    const defaultTag = inferSourceCountry({ urls: ['https://example.com/feed'], languageTag: 'en-US' });

    // Assess
    expect(brazil).toEqual({ code: 'BR', confidence: 0.5, basis: 'language-region', evidence: 'pt-BR' });
    expect(defaultTag?.confidence).toBeLessThan(0.5);
  });

  it('sets the article’s sourceCountry only when the evidence is strong enough, and always reports it', () => {
    // Act
    const inferred = classify({ title: 'Chuva em São Paulo', text: 'Temporais atingem a cidade.', language: 'pt-BR', feedUrl: 'https://example.com/rss' });
    const weak = classify({ title: 'Storm hits coast', text: 'Winds reached 100 km/h.', language: 'en-US', feedUrl: 'https://example.com/rss' });

    // Assess
    expect(inferred.sourceCountry).toBe('BR');
    expect(inferred.source?.basis).toBe('language-region');
    expect(weak.sourceCountry).toBeUndefined();
    expect(weak.source?.code).toBe('US');
    expect(weak.countries).toEqual([]);
  });

  it('reads hosts from URLs safely', () => {
    expect(hostOfUrl('https://user@WWW.Example.COM:8080/path')).toBe('example.com');
    expect(hostOfUrl('javascript:alert(1)')).toBeUndefined();
    expect(hostOfUrl(undefined)).toBeUndefined();
  });
});
