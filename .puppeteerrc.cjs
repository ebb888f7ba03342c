// rt-plan renders diagrams with a system Chromium (see README); puppeteer must never download its own browser.
module.exports = { skipDownload: true };
