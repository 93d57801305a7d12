/* Registers the service worker (/sw.js): it shows a "you are offline" page when the server cannot be
   reached. It stores no page with your data. */
"use strict";
if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
}
