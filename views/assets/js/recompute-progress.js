// Progressive enhancement of /admin/settings while the risk levels are recomputed in the
// background: every few seconds it fetches the page again and puts that copy's progress section
// in place of this one, so the bar moves without reloading the form the admin may be filling in.
// It stops once the section says the recompute has finished. Without JavaScript the section's
// link reloads the page.
(function () {
  var selector = '[data-recompute-progress]';
  var section = document.querySelector(selector);
  if (!section || !window.fetch || !window.DOMParser) return;
  var every = 3000;

  function schedule(ms) {
    window.setTimeout(poll, ms);
  }

  function poll() {
    fetch(window.location.pathname, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector(selector);
        // No section: signed out meanwhile (the sign-in page came back). Leave the page as it is.
        if (!fresh) return;
        section.innerHTML = fresh.innerHTML;
        section.setAttribute('data-recompute-progress', fresh.getAttribute('data-recompute-progress'));
        if (fresh.getAttribute('data-recompute-progress') === 'running') schedule(every);
      })
      .catch(function () {
        // The server is restarting or unreachable: try again later, more slowly.
        schedule(every * 5);
      });
  }

  if (section.getAttribute('data-recompute-progress') === 'running') schedule(every);
})();
