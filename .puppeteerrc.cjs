// Parley never downloads a browser: whatsapp-web.js uses Debian's /usr/bin/chromium.
module.exports = { skipDownload: true };
