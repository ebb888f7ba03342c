// Which files speak for the product. Tests, examples and demos open servers and sockets that
// never run in production: they stay in the model (their imports are known) but make no claim.

const NON_PRODUCTION = /(^|\/)(__tests__|__mocks__|tests?|e2e|spec|examples?|demos?|fixtures|stories|storybook)\/|\.(test|spec|stories|e2e)\.[cm]?[jt]sx?$/;

export function isNonProduction(file: string): boolean {
  return NON_PRODUCTION.test(file);
}
