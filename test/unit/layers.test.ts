import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, isUpward, layerOf, layerRank, listFiles } from '../../scripts/layers.js';
import { projectRoot } from '../../server/config.js';

describe('the layers of server/', () => {
  const server = path.join(projectRoot, 'server');
  const sources = listFiles(server, (name) => name.endsWith('.ts'));

  it('has no import pointing up a layer, or sideways between features', () => {
    const upward = sources.flatMap((file) =>
      importsOf(file, fs.readFileSync(file, 'utf8'))
        .filter((target) => target.startsWith(server))
        .filter((target) => isUpward(layerOf(projectRoot, file), layerOf(projectRoot, target)))
        .map((target) => `${path.relative(projectRoot, file)} -> ${path.relative(projectRoot, target)}`),
    );
    expect(upward).toEqual([]);
  });

  it('knows every folder it checks, so a new one has to be given its place', () => {
    const unknown = [...new Set(sources.map((file) => layerOf(projectRoot, file)))].filter(
      (layer) => !Number.isFinite(layerRank(layer)),
    );
    expect(unknown).toEqual([]);
  });

  it('catches an upward import (the check itself can fail)', () => {
    expect(isUpward('coding', 'autocode')).toBe(true);
    expect(isUpward('http', 'surveys')).toBe(true);
    expect(isUpward('reports', 'admin')).toBe(true);
    expect(isUpward('admin', 'reports')).toBe(false);
    expect(isUpward('cli', 'app.ts')).toBe(false);
    expect(isUpward('surveys', 'help')).toBe(true);
  });

  it('keeps every file under server/ at 250 lines or fewer', () => {
    const long = sources
      .map((file) => ({
        file: path.relative(projectRoot, file),
        lines: fs.readFileSync(file, 'utf8').split('\n').length,
      }))
      .filter((entry) => entry.lines > 250);
    expect(long).toEqual([]);
  });
});
