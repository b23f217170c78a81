// Offline use: the page registers its service worker (sw.js), which keeps
// this version of the site so that a reload works with no network, and
// offers a reload when a new version has been installed in the background.

import { state } from './state.js';
import { $ } from './dom.js';

// bindOffline hides the boot note (the scripts run), registers the
// service worker and wires the update banner.
export function bindOffline() {
  $('#boot-note').hidden = true;
  if (!('serviceWorker' in navigator)) return;
  const offer = (w) => {
    state.updateWaiting = w;
    $('#update-banner').hidden = false;
  };
  navigator.serviceWorker.register('sw.js').then((reg) => {
    state.swReg = reg;
    if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
    reg.addEventListener('updatefound', () => {
      const w = reg.installing;
      w?.addEventListener('statechange', () => {
        if (w.state === 'installed' && navigator.serviceWorker.controller) offer(w);
      });
    });
  }).catch(() => { /* no offline copy: the page still works online */ });
  // The first install takes control without a reload; a new version does
  // only when the user asks, then the page reloads on it.
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (state.updateAccepted && !reloading) {
      reloading = true;
      location.reload();
    }
  });
  $('#update-reload').addEventListener('click', () => {
    state.updateAccepted = true;
    state.updateWaiting?.postMessage('skipWaiting');
  });
}

// swVersion asks the service worker in control for its version ('' when
// none controls the page).
export function swVersion() {
  const c = navigator.serviceWorker?.controller;
  if (!c) return Promise.resolve('');
  return new Promise((resolve) => {
    const on = (e) => {
      if (e.data?.version) {
        navigator.serviceWorker.removeEventListener('message', on);
        resolve(e.data.version);
      }
    };
    navigator.serviceWorker.addEventListener('message', on);
    c.postMessage('version');
  });
}
