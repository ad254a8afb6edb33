import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../config.js';
import { readDataFile } from '../data-files.js';
import { locales, type Locale } from './localised.js';

const cataloguesDir = path.join(projectRoot, 'server', 'i18n', 'locales');
const catalogueSchema = z.record(z.string(), z.string());

export type Translate = (key: string, values?: Record<string, string | number>) => string;

/** Page furniture (buttons, errors, progress) for each language that has a catalogue file. */
export class MessageCatalogue {
  private constructor(private readonly messages: Map<Locale, Record<string, string>>) {}

  static load(dir = cataloguesDir): MessageCatalogue {
    const messages = new Map<Locale, Record<string, string>>();
    for (const locale of locales) {
      const file = path.join(dir, `${locale}.json`);
      if (!fs.existsSync(file)) continue;
      messages.set(locale, readDataFile(file, catalogueSchema, 'message catalogue (every message must be a string)'));
    }
    const english = messages.get('en');
    if (!english) throw new Error(`${cataloguesDir}/en.json is missing: English messages are required`);
    for (const [locale, entries] of messages) {
      const unknown = Object.keys(entries).filter((key) => !(key in english));
      if (unknown.length > 0) throw new Error(`${locale}.json has keys English lacks: ${unknown.join(', ')}`);
    }
    return new MessageCatalogue(messages);
  }

  get available(): Locale[] {
    return [...this.messages.keys()];
  }

  translator(locale: Locale): Translate {
    const own = this.messages.get(locale) ?? {};
    const english = this.messages.get('en') ?? {};
    return (key, values = {}) => {
      const template = own[key] ?? english[key];
      if (template === undefined) throw new Error(`Missing message "${key}"`);
      return template.replace(/\{(\w+)\}/g, (match, name: string) => String(values[name] ?? match));
    };
  }
}
