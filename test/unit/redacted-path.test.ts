import { describe, expect, it } from 'vitest';
import { redactedPath } from '../../server/http/request-log.js';

const secret = 'kbDXRiJ1YlOXkFiLpJmFvmRB-uy4lbpP';
const token = `6b074649e0e51644bd818d4f-${secret}`;

describe('redactedPath', () => {
  it('hides the token however the path is percent-encoded, and drops the query string', () => {
    for (const url of [
      `/s/family/r/${token}/check`,
      `/s/family/%72/${token}/check`,
      `/s/family%2Fr%2F${token}/check`,
      `/s/family/r%2F${encodeURIComponent(token)}`,
      `/s/family/x/${secret.slice(0, 16)}%2D${secret.slice(17)}`,
      `/s/family/%2572/${token}`,
      `/s/family/r/${token}?token=${token}`,
    ]) {
      const logged = redactedPath(url);
      expect(logged, url).not.toContain(secret.slice(0, 16));
      expect(logged, url).not.toContain('?');
    }
  });

  it('survives malformed percent-encoding', () => {
    expect(redactedPath('/s/family/%E0%A4%A/r/x')).toContain('/r/:token');
  });
});
