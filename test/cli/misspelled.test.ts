import { describe, expect, it } from 'vitest';
import { misspelledCommand } from '../../src/commands/misspelled.js';

const COMMANDS = ['plan', 'scan', 'check', 'init', 'mcp'];

describe('misspelledCommand', () => {
  it.each([
    ['inti', 'init'],
    ['sacn', 'scan'],
    ['chek', 'check'],
    ['checks', 'check'],
    ['pnal', 'plan'],
    ['mpc', 'mcp'],
  ])('%s is a typo of %s', (word, command) => {
    expect(misspelledCommand(word, COMMANDS)).toBe(command);
  });

  it.each([['plan'], ['sync-architecture'], ['--json'], ['chat'], ['initial'], [undefined]])('%s is not a typo', (word) => {
    expect(misspelledCommand(word, COMMANDS)).toBeNull();
  });
});
