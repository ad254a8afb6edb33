import { describe, expect, it } from 'vitest';
import { structureFindings } from '../../scripts/structure-report.js';
import { projectRoot } from '../../server/config.js';

describe('the shape of server/ and views/', () => {
  const findings = structureFindings(projectRoot);

  it('reads request input only through http/validate.ts', () => {
    expect(findings.validationSites).toEqual([]);
  });

  it('has no routes.ts that imports a model or calls the database', () => {
    expect(findings.routesTouchingDatabase).toEqual([]);
  });

  it('has no template writing unescaped output other than an include', () => {
    expect(findings.unescaped).toEqual([]);
  });

  it('has no import pointing up a layer', () => {
    expect(findings.upward).toEqual([]);
  });
});
