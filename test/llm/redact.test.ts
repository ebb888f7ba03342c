import { describe, expect, it } from 'vitest';
import { redactForModel, redactLine } from '../../src/llm/redact.js';

// Key-shaped values are assembled at run time so that none is committed.
const ANTHROPIC = ['sk', 'ant', 'api03', 'Q9x2Lm4Rt7Vb1Nc8Zp5Kd3Wf6Hj0Gs'].join('-');
const AWS = ['AKIA', 'Z7Q2M4R8T1V5B9N3'].join('');
const GENERIC = 'Tq8vW2xZ4mN6pR1sK3yB5cF7hJ9lD0gA';
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA1x2y3z', 'abcdefghijklmnop', '-----END RSA PRIVATE KEY-----'].join('\n');

describe('redactForModel', () => {
  it('replaces every flagged value and keeps the line count', () => {
    const source = [
      `const JWT_SECRET = 'team-chat-dev-secret-7f3a9c2e51';`,
      `const config = { "clientSecret": "${GENERIC}", apiKey: 'your-api-key-here' };`,
      `const anthropic = new Anthropic({ apiKey: \`${ANTHROPIC}\` });`,
      `const key = \`${PEM}\`;`,
      `AWS_ACCESS_KEY_ID=${AWS}`,
      `The key ${ANTHROPIC} was pasted here.`,
    ].join('\n');
    const { text, count } = redactForModel(source);
    expect(text.split('\n')).toHaveLength(source.split('\n').length);
    for (const secret of ['team-chat-dev-secret-7f3a9c2e51', GENERIC, ANTHROPIC, 'MIIEowIBAAKCAQEA1x2y3z', AWS]) expect(text).not.toContain(secret);
    expect(text).toContain(`const JWT_SECRET = '«redacted: generic-secret»';`);
    expect(text).toContain(`"clientSecret": "«redacted: generic-secret»", apiKey: 'your-api-key-here'`);
    expect(text).toContain('apiKey: `«redacted: anthropic-api-key»`');
    expect(text).toContain('AWS_ACCESS_KEY_ID=«redacted: aws-access-key-id»');
    expect(text).toContain('The key «redacted: anthropic-api-key» was pasted here.');
    expect(count).toBe(6);
  });

  it('leaves ordinary code alone', () => {
    const source = `socket.on('joinRoom', (roomId) => socket.join(\`room:\${roomId}\`));\nconst url = 'https://example.com/a/b/c/d/e';`;
    expect(redactForModel(source)).toEqual({ text: source, count: 0 });
  });

  it('redactLine removes every long literal on a line the analyzer flagged', () => {
    expect(redactLine(`const s = 'abcdefghij' + "short";`)).toBe(`const s = '«redacted: flagged»' + "short";`);
  });
});
