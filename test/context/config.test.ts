import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { InputError } from '../../src/errors.js';

describe('parseConfig', () => {
  it('reads the supported settings', () => {
    expect(parseConfig('{"docs":"context7","offline":false,"docsBudget":8000,"//":"team default"}')).toEqual({
      docs: 'context7',
      offline: false,
      docsBudget: 8000,
    });
    expect(parseConfig('{}')).toEqual({});
    expect(parseConfig('{"llm":true}')).toEqual({ llm: true });
  });

  it.each([
    ['{"docs":"web"}', /unsupported value for "docs"$/],
    ['{"docsBudget":-1}', /unsupported value for "docsBudget"$/],
    ['{"colour":true}', /unsupported setting "colour"/],
    ['{"llm":"yes"}', /unsupported value for "llm"$/],
    ['[1]', /expected a JSON object/],
    ['{ "docs": ', /invalid JSON/],
  ])('%s is an input error naming the file and the problem', (text, message) => {
    expect(() => parseConfig(text)).toThrow(InputError);
    expect(() => parseConfig(text)).toThrow(message);
    expect(() => parseConfig(text)).toThrow(/\.claude\/rt-plan\.json/);
  });
});
